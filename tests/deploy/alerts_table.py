"""The alert table of docs/operations.md "What to watch", generated from the chart's alerts.

One source: `deploy/k8s/chart/files/alerts.yaml` (a Prometheus rules file) is what the chart
ships as its PrometheusRule, and the table between the `alerts` markers of the doc is this
module's output; `tests/deploy/test_monitoring.py` fails while they differ. After changing an
alert:

    .venv/bin/python tests/deploy/alerts_table.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from doc_sections import replace_section, section

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "operations.md"
ALERTS = REPO / "deploy" / "k8s" / "chart" / "files" / "alerts.yaml"
BEGIN, END = "<!-- alerts:begin -->", "<!-- alerts:end -->"


def alert_rules() -> list[dict[str, Any]]:
    """Every alerting rule of the file, in its order."""
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table_markdown() -> str:
    lines = ["| alert | severity | fires when | for | look at |", "|---|---|---|---|---|"]
    lines += [
        f"| `{rule['alert']}` | {rule['labels']['severity']} | {_cell(rule['annotations']['summary'])} "
        f"| {rule.get('for', '0m')} | {_cell(rule['annotations']['description'])} |"
        for rule in alert_rules()
    ]
    return "\n".join(lines)


def documented_table() -> str:
    return section(DOC, BEGIN, END)


def main() -> None:
    replace_section(DOC, BEGIN, END, table_markdown())
    print(f"updated {DOC}")


if __name__ == "__main__":
    main()
