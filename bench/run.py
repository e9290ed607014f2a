"""`make bench`: every benchmark in one run on PostgreSQL + RabbitMQ, one report.

Writes bench/report.md and bench/report.json. Needs CLINIC_DATABASE_URL and CLINIC_AMQP_URL
(defaults: the local PostgreSQL and RabbitMQ).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from bench import embedded, events, scheduling, web
from bench.harness import Figure, Report
from clinic_shared.logging import configure_logging
from clinic_shared.testing.backends import Backends, Isolation
from gateway.devcluster import DEFAULT_AMQP_URL, DEFAULT_DATABASE_URL, Cluster, free_port, start_cluster

ROOT = Path(__file__).resolve().parents[1]


def load_script(relative: str) -> ModuleType:
    path = ROOT / relative
    # Importable by name too: a benchmark may start child processes (spawn) that import it.
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


@asynccontextmanager
async def distributed_cluster(
    backends: Backends, services: list[str]
) -> AsyncIterator[tuple[Cluster, dict[str, str], Isolation]]:
    """Gateway + `services` as their own processes, on their own schemas, exchange and queues."""
    with tempfile.TemporaryDirectory() as folder:
        isolation = Isolation.new(backends, Path(folder) / "var")
        env = {
            "CLINIC_DB_SCHEMA_PREFIX": isolation.prefix,
            "CLINIC_EVENTS_EXCHANGE": isolation.exchange,
            "CLINIC_QUEUE_PREFIX": isolation.prefix,
            "CLINIC_DATA_DIR": str(Path(folder) / "var"),
            "CLINIC_LOG_LEVEL": "WARNING",
        }
        try:
            cluster = await asyncio.to_thread(
                start_cluster,
                state_dir=Path(folder) / "cluster",
                database_url=backends.database_url or "",
                amqp_url=backends.amqp_url or "",
                gateway_port=free_port(),
                extra_env=env,
                services=services,
            )
            try:
                async with httpx.AsyncClient(base_url=cluster.base_url, timeout=30) as api:
                    login = await api.post(
                        "/api/auth/token", data={"username": "admin", "password": cluster.admin_password}
                    )
                    login.raise_for_status()
                yield cluster, {"Authorization": f"Bearer {login.json()['access_token']}"}, isolation
            finally:
                await asyncio.to_thread(cluster.stop)
        finally:
            await isolation.cleanup()


async def scheduling_section(report: Report, backends: Backends) -> None:
    async with distributed_cluster(backends, ["patients", "scheduling"]) as (cluster, headers, _):
        await scheduling.run(report, cluster, headers, backends.database_url or "")


async def events_section(report: Report, backends: Backends) -> None:
    async with distributed_cluster(backends, ["patients", "scheduling"]) as (cluster, headers, isolation):
        await events.run(report, cluster, headers, isolation, backends.amqp_url or "")


async def web_section(report: Report, backends: Backends) -> None:
    async with distributed_cluster(backends, ["patients", "scheduling"]) as (cluster, headers, _):
        await web.run(report, cluster, headers)


def notifier_section(report: Report) -> None:
    figures = load_script("services/notifier/bench/bench_dispatch.py").run(10_000)
    direct = figures["direct_seconds"]
    # The target is on planning + dispatch (issue: "planning + dispatch of 10,000 due reminders");
    # dispatch alone is shown beside it.
    for label, seconds in (
        ("planning + dispatch", figures["plan_seconds"] + figures["dispatch_seconds"]),
        ("dispatch alone", figures["dispatch_seconds"]),
    ):
        judged = label == "planning + dispatch"
        report.add(
            Figure(
                f"notifier: {label} of 10,000 due reminders to a fake SMS provider (msg/s)",
                10_000 / seconds,
                "msg/s",
                baseline=10_000 / direct,
                baseline_name="httpx posting the same requests directly",
                target="ratio ≥ 0.5" if judged else "(the planning + dispatch line has the target)",
                passed=direct / seconds >= 0.5 if judged else None,
                details=figures,
            )
        )


def profexam_section(report: Report) -> None:
    result: dict[str, Any] = load_script("services/profexam/bench/bench_import.py").run_bench(10_000, full=True)
    baseline = result["openpyxl_read"]["seconds"]
    for kind, label in (("pipeline", "reading + checking rows"), ("full", "whole import through the gateway")):
        if kind not in result:
            continue
        seconds, peak = result[kind]["seconds"], result[kind]["peak_mb"]
        report.add(
            Figure(
                f"profexam: import of 10,000 rows, {label}",
                seconds,
                "s",
                baseline=baseline,
                baseline_name="openpyxl read-only reading the file",
                target="ratio ≤ 3, peak ≤ 300 MB",
                passed=seconds / baseline <= 3 and peak <= 300,
                details=result[kind],
            )
        )


def use_throwaway_secrets_key() -> None:
    """Services that store credentials encrypted refuse to start on PostgreSQL without
    `CLINIC_SECRETS_KEY`; the benchmark's data is dropped at the end, so a key of its own will do."""
    if os.environ.get("CLINIC_SECRETS_KEY"):
        return
    try:
        from clinic_shared.secretbox import generate_key
    except ImportError:  # a platform without encrypted settings needs no key
        return
    os.environ["CLINIC_SECRETS_KEY"] = generate_key()


SECTIONS = ("events", "scheduling", "embedded", "web", "notifier", "profexam")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the platform's benchmarks and write bench/report.md")
    parser.add_argument("--only", choices=SECTIONS, action="append")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "bench", help="where report.md and report.json go (default: bench/)"
    )
    args = parser.parse_args()
    os.environ.setdefault("CLINIC_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("CLINIC_AMQP_URL", DEFAULT_AMQP_URL)
    use_throwaway_secrets_key()
    configure_logging("WARNING")
    backends = Backends.from_env()
    report = Report()
    started = time.monotonic()
    timings: dict[str, float] = {}
    for section in args.only or SECTIONS:
        print(f"== {section}", flush=True)
        section_started = time.monotonic()
        try:
            if section == "events":
                asyncio.run(events_section(report, backends))
            elif section == "scheduling":
                asyncio.run(scheduling_section(report, backends))
            elif section == "embedded":
                asyncio.run(embedded.run(report))
            elif section == "web":
                asyncio.run(web_section(report, backends))
            elif section == "notifier":
                notifier_section(report)
            elif section == "profexam":
                profexam_section(report)
        except Exception as exc:  # one broken section must not hide the others' figures
            report.notes.append(f"{section}: failed: {type(exc).__name__}: {exc}")
            print(f"{section} failed: {exc!r}", flush=True)
        timings[section] = round(time.monotonic() - section_started, 1)
        print(f"== {section}: {timings[section]:.0f} s", flush=True)
    total = time.monotonic() - started
    report.notes.append(
        f"total run time {total:.0f} s (sections: {', '.join(f'{name} {s:.0f} s' for name, s in timings.items())});"
        f" budget 900 s"
    )
    print(f"== total {total:.0f} s", flush=True)
    report.write(args.output)
    print(f"report: {args.output / 'report.md'}")


if __name__ == "__main__":
    main()
