"""Rewrite the table of problem types in docs/api.md from the registry (clinic_shared.problems):
`.venv/bin/python tests/contract/problem_table.py`."""

from __future__ import annotations

import re
from pathlib import Path

from contract_document import build_document

from clinic_shared.problems import PROBLEM_TYPES

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
START, END = "<!-- problem-table:start -->", "<!-- problem-table:end -->"


def table() -> str:
    build_document()  # imports every service, so every type is registered
    rows = ["| code | status | title | заголовок | when |", "|---|---|---|---|---|"]
    for problem in sorted(PROBLEM_TYPES.values(), key=lambda p: (p.status, p.code)):
        rows.append(
            f"| `{problem.code}` | {problem.status} | {problem.title} | {problem.title_ru} | {problem.description} |"
        )
    return "\n".join(rows)


def main() -> None:
    text = API_DOC.read_text()
    updated = re.sub(f"{re.escape(START)}.*?{re.escape(END)}", f"{START}\n{table()}\n{END}", text, flags=re.S)
    API_DOC.write_text(updated)
    print(f"{len(PROBLEM_TYPES)} problem types written to {API_DOC}")


if __name__ == "__main__":
    main()
