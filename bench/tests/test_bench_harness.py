"""The benchmark plumbing: time-boxed loads, the growth wording, the written report."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from bench.harness import Figure, Report, run_load
from bench.scheduling import scaling


async def slow_ok(_request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(0.02)
    return httpx.Response(200)


async def test_a_load_sends_every_request_when_it_has_no_time_limit() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(slow_ok), base_url="http://bench") as client:
        result = await run_load(client, lambda c, i: c.get(f"/{i}"), total=20, concurrency=4)

    assert result.requests == 20
    assert result.statuses == {200: 20}


async def test_a_time_limited_load_stops_starting_requests_and_counts_what_it_sent() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(slow_ok), base_url="http://bench") as client:
        result = await run_load(client, lambda c, i: c.get(f"/{i}"), total=100_000, concurrency=2, max_seconds=0.2)

    assert 0 < result.requests < 100_000
    assert result.statuses == {200: result.requests}


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
