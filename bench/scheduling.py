"""Scheduling benchmarks (issue: scheduling service), run on PostgreSQL + RabbitMQ in
distributed mode: every request goes through the gateway process to the scheduling process.

1. Booking throughput through the gateway (distinct slots, 32 concurrent clients) with
   p50/p99, as a ratio to a bare FastAPI + asyncpg endpoint inserting one row (target ≥ 0.3).
2. Free-slot search over 100 doctors × 30 days with 10,000 existing appointments: p95 as a
   ratio to the p95 of `GET /appointments/{id}` (target ≤ 5).
3. Export of 10,000 appointments to .xlsx: peak memory of the scheduling process (≤ 300 MB).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from bench.harness import Figure, Report, run_load
from gateway.devcluster import Cluster, free_port, wait_healthy

DOCTORS = 100
DAYS = 30
APPOINTMENTS = 10_000
CONCURRENCY = 32
BOOKINGS_MEASURED = 2_000
SLOT_MINUTES = 15
DAY_START, DAY_END = 8, 20  # 48 quarter-hours a day per doctor


async def setup_doctors(api: httpx.AsyncClient, headers: dict[str, str], first_day: dt.date) -> tuple[str, list[str]]:
    specialization = (
        await api.post("/api/scheduling/specializations", json={"name": "Терапевт"}, headers=headers)
    ).json()
    await api.put(
        "/api/scheduling/settings",
        json={"grid_step_minutes": SLOT_MINUTES, "booking_horizon_days": 365, "booking_past_days": 1},
        headers=headers,
    )
    doctors: list[str] = []

    async def make_doctor(i: int) -> None:
        doctor = (
            await api.post(
                "/api/scheduling/doctors",
                json={
                    "last_name": f"Врач{i:03d}",
                    "first_name": "Бенч",
                    "specialization_ids": [specialization["id"]],
                    "online_booking": True,
                },
                headers=headers,
            )
        ).json()
        response = await api.post(
            "/api/scheduling/schedules/bulk",
            json={
                "doctor_id": doctor["id"],
                "date_from": first_day.isoformat(),
                "date_to": (first_day + dt.timedelta(days=DAYS - 1)).isoformat(),
                "weekdays": list(range(7)),
                "intervals": [{"start": f"{DAY_START:02d}:00", "end": f"{DAY_END:02d}:00"}],
            },
            headers=headers,
        )
        response.raise_for_status()
        doctors.append(doctor["id"])

    for batch in range(0, DOCTORS, 10):
        await asyncio.gather(*(make_doctor(i) for i in range(batch, min(batch + 10, DOCTORS))))
    return specialization["id"], sorted(doctors)


def slot(doctors: list[str], first_day: dt.date, zone: dt.tzinfo, index: int) -> tuple[str, dt.datetime]:
    """The index-th distinct slot: spread over doctors first, then days, then times."""
    per_day = (DAY_END - DAY_START) * 60 // SLOT_MINUTES
    doctor = doctors[index % len(doctors)]
    rest = index // len(doctors)
    day = first_day + dt.timedelta(days=rest // per_day)
    minutes = DAY_START * 60 + (rest % per_day) * SLOT_MINUTES
    start = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), zone)
    return doctor, start


async def book(
    api: httpx.AsyncClient, headers: dict[str, str], doctor: str, start: dt.datetime, i: int
) -> httpx.Response:
    return await api.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor,
            "start": start.isoformat(),
            "duration_minutes": SLOT_MINUTES,
            "patient": {"last_name": f"Пациент{i}", "first_name": "Бенч", "mobile_phone": f"+7922{i:07d}"},
        },
        headers=headers,
    )


def start_baseline(database_url: str) -> tuple[subprocess.Popen[bytes], str, str]:
    port = free_port()
    schema = f"bench_baseline_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "BASELINE_DSN": database_url.replace("+asyncpg", ""), "BASELINE_SCHEMA": schema}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.baseline_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    return process, f"http://127.0.0.1:{port}", schema


async def wait_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                await client.get(url + "/docs")
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss(pid: int) -> None:
    # Linux: writing 5 resets the peak resident set size, so the export's own peak is measured.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def run(report: Report, cluster: Cluster, headers: dict[str, str], database_url: str) -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(os.environ.get("CLINIC_TIMEZONE", "Europe/Moscow"))
    first_day = dt.date.today() + dt.timedelta(days=1)
    limits = httpx.Limits(max_connections=CONCURRENCY * 2, max_keepalive_connections=CONCURRENCY * 2)
    async with httpx.AsyncClient(base_url=cluster.base_url, timeout=60, limits=limits) as api:
        specialization_id, doctors = await setup_doctors(api, headers, first_day)

        # 1. booking throughput vs a bare insert endpoint, same load shape, same run
        for i in range(64):  # warm-up: connections, caches, query plans
            await book(api, headers, *slot(doctors, first_day, zone, i), i)
        offset = 64
        booking = await run_load(
            api,
            lambda c, i: book(c, headers, *slot(doctors, first_day, zone, offset + i), offset + i),
            total=BOOKINGS_MEASURED,
            concurrency=CONCURRENCY,
        )
        process, base_url, schema = start_baseline(database_url)
        try:
            await wait_up(base_url)
            async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as bare:
                body = {"doctor_id": str(uuid.uuid4()), "note": "x"}
                for _ in range(64):
                    await bare.post("/bookings", json=body)
                baseline = await run_load(
                    bare, lambda c, i: c.post("/bookings", json=body), total=BOOKINGS_MEASURED, concurrency=CONCURRENCY
                )
        finally:
            process.terminate()
            process.wait(10)
            await drop_schema(database_url, schema)
        ratio = booking.throughput / baseline.throughput
        report.add(
            Figure(
                "scheduling: booking throughput through the gateway (32 clients)",
                booking.throughput,
                "req/s",
                baseline=baseline.throughput,
                baseline_name="bare FastAPI+asyncpg insert",
                target="ratio ≥ 0.3",
                passed=ratio >= 0.3 and booking.statuses.get(201, 0) == BOOKINGS_MEASURED,
                details={"booking": booking.summary(), "baseline": baseline.summary()},
            )
        )

        # fill up to 10,000 appointments across 100 doctors × 30 days
        done = offset + BOOKINGS_MEASURED
        fill = await run_load(
            api,
            lambda c, i: book(c, headers, *slot(doctors, first_day, zone, done + i), done + i),
            total=APPOINTMENTS - done,
            concurrency=CONCURRENCY,
        )
        created = booking.statuses.get(201, 0) + fill.statuses.get(201, 0) + 64
        report.notes.append(f"scheduling: {created} appointments over {DOCTORS} doctors × {DAYS} days before searches")

        # 2. free-slot search p95 vs GET /appointments/{id} p95
        listing = (await api.get("/api/scheduling/appointments", params={"limit": 200}, headers=headers)).json()
        ids = [a["id"] for a in listing["items"]]
        single = await run_load(
            api,
            lambda c, i: c.get(f"/api/scheduling/appointments/{ids[i % len(ids)]}", headers=headers),
            total=400,
            concurrency=4,
        )
        params = {
            "specialization_id": specialization_id,
            "date_from": first_day.isoformat(),
            "date_to": (first_day + dt.timedelta(days=DAYS - 1)).isoformat(),
            "duration_minutes": 30,
            "limit": 50,
        }
        search = await run_load(
            api,
            lambda c, i: c.get("/api/scheduling/free-slots", params=params, headers=headers),
            total=200,
            concurrency=4,
        )
        report.add(
            Figure(
                "scheduling: free-slot search p95 (100 doctors × 30 days, 10k appointments)",
                search.percentile(95),
                "ms",
                baseline=single.percentile(95),
                baseline_name="GET /appointments/{id} p95",
                target="ratio ≤ 5",
                passed=search.statuses.get(200, 0) == 200 and search.percentile(95) <= 5 * single.percentile(95),
                details={"search": search.summary(), "get_appointment": single.summary()},
            )
        )

        # 3. export of 10,000 appointments: peak memory of the scheduling process. A fresh
        # process, so the figure is the export's and not what earlier searches left resident.
        await asyncio.to_thread(cluster.restart, "scheduling")
        await asyncio.to_thread(wait_healthy, cluster, 120)
        pid = cluster.processes["scheduling"].pid
        reset_peak_rss(pid)
        before = peak_rss_mb(pid)
        started = asyncio.get_running_loop().time()
        export = await api.get(
            "/api/scheduling/appointments/export.xlsx",
            params={
                "date_from": first_day.isoformat(),
                "date_to": (first_day + dt.timedelta(days=DAYS - 1)).isoformat(),
                "limit": APPOINTMENTS,
            },
            headers=headers,
        )
        seconds = asyncio.get_running_loop().time() - started
        peak = peak_rss_mb(pid)
        report.add(
            Figure(
                "scheduling: export of 10,000 appointments to .xlsx, peak RSS of the service",
                peak,
                "MB",
                baseline=before,
                baseline_name="RSS before the export",
                target="peak ≤ 300 MB",
                passed=export.status_code == 200 and peak <= 300,
                details={"status": export.status_code, "bytes": len(export.content), "seconds": round(seconds, 2)},
            )
        )


async def drop_schema(database_url: str, schema: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()
