"""Print the merged OpenAPI document (as `GET /api/openapi.json` serves it) to a file or stdout.

    python scripts/openapi_document.py var/openapi.json

`make web-api` generates the web app's typed client (web/src/api/schema.d.ts) from it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gateway.embedded import offline_openapi_document


def main() -> None:
    text = json.dumps(offline_openapi_document(), ensure_ascii=False, indent=1)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
        Path(sys.argv[1]).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
