"""Write operation_ids.txt from the current code, after a deliberate rename:
`.venv/bin/python tests/contract/operation_ids.py`."""

from __future__ import annotations

from pathlib import Path

from contract_document import build_document, operations


def main() -> None:
    ids = sorted(operation["operationId"] for _, _, operation in operations(build_document()))
    Path(__file__).with_name("operation_ids.txt").write_text("\n".join(ids) + "\n")
    print(f"{len(ids)} operation ids written")


if __name__ == "__main__":
    main()
