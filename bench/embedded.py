"""Embedded mode (`make run`: SQLite, every service and the gateway in one process), the way a
small clinic runs it: bookings through the gateway driven by wrk with 1, 8 and 32 connections,
each run followed by the same wrk run against a bare FastAPI + aiosqlite insert
(bench/baseline_sqlite_app.py), `ROUNDS` rounds, the median ratio per connection count.

Targets (issue #18): one connection's p50 ≤ 10 ms, the p99 at 32 connections ≤ 1 s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.harness import Figure, Report
from bench.scheduling import (
    ROUNDS,
    WARM_UP,
    Round,
    all_succeeded,
    book,
    booking_body,
    cpu_table,
    login_headers,
    median_round,
    rounds_summary,
    setup_doctors,
    slot,
    wait_up,
)
from bench.wrk import Request, WrkResult, run_wrk
from gateway.devcluster import free_port

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = (1, 8, 32)
RUN_SECONDS = 5
BLOCK = 6_000  # slots per run: more than a run can book
P50_AT_ONE_MS = 10.0
P99_AT_32_MS = 1000.0
QUIET = ("--log-level", "warning", "--no-access-log")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def run(report: Report) -> None:
    zone = ZoneInfo(os.environ.get("CLINIC_TIMEZONE", "Europe/Moscow"))
    first_day = dt.date.today() + dt.timedelta(days=1)
    with tempfile.TemporaryDirectory() as folder:
        platform_port, bare_port = free_port(), free_port()
        password = "bench-embedded-admin"
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("CLINIC_DATABASE_URL", "CLINIC_AMQP_URL")},
            "CLINIC_DATA_DIR": str(Path(folder) / "var"),
            "CLINIC_ADMIN_PASSWORD": password,
            "CLINIC_DEMO_DATA": "false",
            "CLINIC_LOG_LEVEL": "WARNING",
            "CLINIC_NOTIFIER_FAKES": "0",
            "CLINIC_ONDOC_FAKE": "0",
            "CLINIC_LAB_FAKE_EXCHANGE": "0",
        }
        platform = start(
            [sys.executable, "-m", "gateway.embedded", "--port", str(platform_port)], env, Path(folder) / "embedded.log"
        )
        bare = start(
            [sys.executable, "-m", "uvicorn", "bench.baseline_sqlite_app:app", f"--port={bare_port}", *QUIET],
            {**os.environ, "BASELINE_SQLITE": str(Path(folder) / "baseline.sqlite3")},
            Path(folder) / "bare.log",
        )
        platform_url, bare_url = f"http://127.0.0.1:{platform_port}", f"http://127.0.0.1:{bare_port}"
        try:
            await wait_up(bare_url)
            headers = await wait_for_login(platform_url, password)
            async with httpx.AsyncClient(base_url=platform_url, timeout=60) as api:
                _, doctors = await setup_doctors(api, headers, first_day)
                for i in range(WARM_UP):
                    (await book(api, headers, *slot(doctors, first_day, zone, i), i)).raise_for_status()
            processes = {"embedded (one process)": [platform.pid]}

            def platform_run(connections: int, block: int) -> WrkResult:
                first = 1_000 + block * BLOCK
                requests = [
                    Request(
                        "POST",
                        "/api/scheduling/appointments",
                        json.dumps(booking_body(*slot(doctors, first_day, zone, i), i), ensure_ascii=False),
                    )
                    for i in range(first, first + BLOCK)
                ]
                return run_wrk(
                    platform_url,
                    requests,
                    connections=connections,
                    seconds=RUN_SECONDS,
                    headers={**login_headers(platform_url, password), "Content-Type": "application/json"},
                    processes=processes,
                )

            def bare_run(connections: int) -> WrkResult:
                body = json.dumps({"doctor_id": "00000000-0000-4000-8000-000000000001", "note": "x"})
                return run_wrk(
                    bare_url,
                    [Request("POST", "/bookings", body)],
                    connections=connections,
                    seconds=RUN_SECONDS,
                    headers={"Content-Type": "application/json"},
                    processes={"baseline": [bare.pid]},
                )

            medians: dict[int, Round] = {}
            all_rounds: dict[int, list[Round]] = {}
            block = 0
            for connections in CONNECTIONS:
                rounds = []
                for _ in range(ROUNDS):
                    booked = await asyncio.to_thread(platform_run, connections, block)
                    block += 1
                    rounds.append(Round(booked, await asyncio.to_thread(bare_run, connections)))
                all_rounds[connections] = rounds
                medians[connections] = median_round(rounds)
        finally:
            stop(platform)
            stop(bare)
    for connections, median in medians.items():
        rounds = all_rounds[connections]
        ok = all_succeeded([r.platform for r in rounds])
        target, passed = "(reported)", None
        if connections == 1:
            target, passed = f"p50 ≤ {P50_AT_ONE_MS:g} ms", ok and median.platform.p50_ms <= P50_AT_ONE_MS
        elif connections == 32:
            target, passed = f"p99 ≤ {P99_AT_32_MS:g} ms", ok and median.platform.p99_ms <= P99_AT_32_MS
        report.add(
            Figure(
                f"embedded (make run, SQLite): booking through the gateway, wrk {connections} connection(s),"
                f" p50 {median.platform.p50_ms:.1f} ms, p99 {median.platform.p99_ms:.0f} ms (median of {ROUNDS} rounds)",
                median.platform.throughput,
                "req/s",
                baseline=median.bare.throughput,
                baseline_name="bare FastAPI+aiosqlite insert, same wrk run right after",
                target=target,
                passed=passed,
                details={
                    "booking": median.platform.summary(),
                    "bare_insert": median.bare.summary(),
                    "rounds": rounds_summary(rounds),
                },
            )
        )
    report.sections.append(
        cpu_table(
            "CPU milliseconds per booking, embedded mode (median rounds; from /proc)",
            {f"booking, {c} conn.": m.platform for c, m in medians.items()}
            | {f"bare insert, {c} conn.": m.bare for c, m in medians.items()},
        )
    )


async def wait_for_login(base_url: str, password: str) -> dict[str, str]:
    """The admin's headers once the platform answers (it migrates every service's SQLite first)."""
    last: Any = None
    for _ in range(300):
        try:
            return await asyncio.to_thread(login_headers, base_url, password)
        except httpx.HTTPError as exc:
            last = exc
            await asyncio.sleep(0.5)
    raise RuntimeError(f"make run did not come up: {last!r}")
