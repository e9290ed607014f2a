"""A service on two worker processes (CLINIC_WORKERS=2, clinic_shared.runner): each worker is a
whole replica with its own outbox relay, so bookings served by both publish every
appointment.created once, none lost and none twice (#18: a bottleneck service uses both cores).

Bookings go straight to scheduling's port on a new connection each, so the kernel hands them to
both workers; the gateway runs two workers as well and is asked through its port."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from e2e_flows import admin_headers, created, event_spy, until

from clinic_shared.testing.backends import Isolation
from gateway.devcluster import Cluster

ZONE = ZoneInfo("Europe/Moscow")
BOOKINGS = 48  # 09:00–21:00 in quarter hours


@pytest.fixture(scope="module")
def cluster(make_module_cluster: Callable[..., Cluster]) -> Cluster:
    return make_module_cluster(["scheduling"], {"CLINIC_WORKERS": "2", "CLINIC_TIMEZONE": "Europe/Moscow"})


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes under its supervisor `pid` (multiprocessing's spawned children;
    not its resource tracker)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if parent == pid and any(part.startswith(b"from multiprocessing.spawn") for part in command):
                children.append(int(entry.name))
    return children


def test_the_service_and_the_gateway_each_run_two_worker_processes(cluster: Cluster) -> None:
    assert len(workers_of(cluster.processes["scheduling"].pid)) == 2
    assert len(workers_of(cluster.processes["gateway"].pid)) == 2


async def test_bookings_served_by_two_workers_publish_each_event_exactly_once(
    cluster: Cluster, e2e_module_isolation: Isolation
) -> None:
    headers = admin_headers(cluster)
    day: date = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=3)
    scheduling = f"http://127.0.0.1:{cluster.ports['scheduling']}"
    async with httpx.AsyncClient(base_url=cluster.base_url, headers=headers, timeout=30) as api:
        doctor = created(await api.post("/api/scheduling/doctors", json={"last_name": "Двоев", "first_name": "Пётр"}))
        schedule = {
            "doctor_id": doctor["id"],
            "date": day.isoformat(),
            "intervals": [{"start": "09:00", "end": "21:00"}],
        }
        created(await api.post("/api/scheduling/schedules", json=schedule))
    starts = [datetime.combine(day, time(9), tzinfo=ZONE) + timedelta(minutes=15 * n) for n in range(BOOKINGS)]
    async with event_spy(e2e_module_isolation, "appointment.created") as spy:
        # A new connection per request: the kernel hands each to whichever worker accepts first.
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=scheduling, headers=headers, timeout=30, limits=fresh) as direct:

            async def book(start: datetime) -> str:
                body = {
                    "doctor_id": doctor["id"],
                    "start": start.isoformat(),
                    "duration_minutes": 15,
                    "patient": {"last_name": "Воркеров", "first_name": f"Номер{uuid.uuid4().hex[:4]}"},
                }
                return str(created(await direct.post("/appointments", json=body))["id"])

            booked = await asyncio.gather(*(book(start) for start in starts))

        async def all_published() -> bool | None:
            return len(spy.of_type("appointment.created")) >= BOOKINGS or None

        await until(all_published, f"{BOOKINGS} appointment.created events")
        await asyncio.sleep(2)  # a second relay publishing a row again would show by now
    published = Counter(e["aggregate_id"] for e in spy.of_type("appointment.created"))
    assert set(published) == set(booked)
    assert set(published.values()) == {1}
