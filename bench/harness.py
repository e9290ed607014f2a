"""Benchmark plumbing: percentiles and the report (`make bench`); load is driven by wrk (`bench.wrk`).

Every figure is reported next to a baseline measured in the same run on the same machine,
and as a ratio, so numbers from different machines can be compared.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Figure:
    """One benchmark line: a measured value, its same-run baseline, the ratio and the target."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    passed: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # extra markdown sections after the figures: (title, lines), e.g. CPU per operation tables
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        status = {True: "PASS", False: "FAIL", None: "—"}[figure.passed]
        ratio = f" ratio {figure.ratio:.2f}" if figure.ratio is not None else ""
        print(f"[{status}] {figure.name}: {figure.value:.2f} {figure.unit}{ratio} {figure.target}", flush=True)
        return figure

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        data = {
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started_at)),
            "duration_seconds": round(time.time() - self.started_at, 1),
            "figures": [asdict(f) | {"ratio": f.ratio} for f in self.figures],
            "notes": self.notes,
            "sections": [{"title": title, "lines": lines} for title, lines in self.sections],
        }
        (directory / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
        lines = [
            "# Benchmark report",
            "",
            f"Run at {data['started_at']} on this machine ({data['duration_seconds']} s). Each figure has a baseline",
            "measured in the same run; the ratio is value / baseline.",
            "",
            "| figure | value | baseline | ratio | target | result |",
            "|---|---|---|---|---|---|",
        ]
        for f in self.figures:
            baseline = f"{f.baseline:.2f} {f.unit} ({f.baseline_name})" if f.baseline is not None else "—"
            ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
            result = {True: "pass", False: "**fail**", None: "—"}[f.passed]
            lines.append(f"| {f.name} | {f.value:.2f} {f.unit} | {baseline} | {ratio} | {f.target} | {result} |")
        for title, section in self.sections:
            lines += ["", f"## {title}", "", *section]
        if self.notes:
            lines += ["", "## Notes", "", *[f"- {n}" for n in self.notes]]
        details = [f for f in self.figures if f.details]
        if details:
            lines += ["", "## Details", ""]
            for f in details:
                lines.append(f"- **{f.name}**: `{json.dumps(f.details, ensure_ascii=False)}`")
        (directory / "report.md").write_text("\n".join(lines) + "\n")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
