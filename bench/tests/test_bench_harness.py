"""The benchmark plumbing: the growth wording, the written report."""

from __future__ import annotations

import json
from pathlib import Path

from bench.harness import Figure, Report
from bench.scheduling import scaling


def test_growth_is_described_as_flat_linear_or_worse() -> None:
    assert "flat" in scaling(1.05)
    assert "sub-linear" in scaling(2.0)
    assert "about linear" in scaling(10.0)
    assert "worse than linear" in scaling(40.0)


def test_the_report_lists_each_figure_with_its_baseline_ratio_target_and_result(tmp_path: Path) -> None:
    report = Report()
    report.add(
        Figure("relay", 500.0, "events/s", baseline=1000.0, baseline_name="raw", target="ratio ≥ 0.5", passed=True)
    )
    report.add(Figure("search p95", 300.0, "ms", baseline=50.0, baseline_name="GET", target="ratio ≤ 5", passed=False))
    report.notes.append("total run time 600 s")

    report.write(tmp_path)

    markdown = (tmp_path / "report.md").read_text()
    assert "| relay | 500.00 events/s | 1000.00 events/s (raw) | 0.50 | ratio ≥ 0.5 | pass |" in markdown
    assert "| search p95 | 300.00 ms | 50.00 ms (GET) | 6.00 | ratio ≤ 5 | **fail** |" in markdown
    assert "- total run time 600 s" in markdown
    figures = json.loads((tmp_path / "report.json").read_text())["figures"]
    assert [(f["name"], f["ratio"], f["passed"]) for f in figures] == [("relay", 0.5, True), ("search p95", 6.0, False)]
