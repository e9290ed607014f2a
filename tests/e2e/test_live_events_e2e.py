"""Live updates across gateway replicas (`make up` with CLINIC_GATEWAY_REPLICAS=2, as real
processes on PostgreSQL + RabbitMQ): a booking made through one gateway reaches a stream opened
on the other within a second, and an event id given by one gateway resumes on the other."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from gateway.devcluster import free_port

ZONE = ZoneInfo("Europe/Moscow")
SCHEDULING = "/api/scheduling"


class Events:
    """The events (blocks with data) of one SSE response, read by a task of its own."""

    def __init__(self, response: httpx.Response) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task = asyncio.create_task(self._read(response))

    async def _read(self, response: httpx.Response) -> None:
        block: dict[str, Any] = {}
        async for line in response.aiter_lines():
            if line == "":
                if "data" in block:
                    await self.queue.put(block)
                block = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                block[name] = value.removeprefix(" ")

    async def next(self, timeout: float) -> dict[str, Any]:
        block = await asyncio.wait_for(self.queue.get(), timeout)
        return {"id": block.get("id"), "event": block.get("event"), **json.loads(block["data"])}


@asynccontextmanager
async def stream(base_url: str, headers: dict[str, str], last_event_id: str | None = None) -> AsyncIterator[Events]:
    wanted = {**headers, "Accept": "text/event-stream"} | ({"Last-Event-ID": last_event_id} if last_event_id else {})
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(30, read=None)) as client:
        async with client.stream("GET", "/api/events/stream", headers=wanted) as response:
            assert response.status_code == 200
            events = Events(response)
            try:
                yield events
            finally:
                events.task.cancel()
                await asyncio.gather(events.task, return_exceptions=True)


async def test_a_booking_through_one_gateway_reaches_a_stream_on_the_other_within_a_second(make_cluster: Any) -> None:
    cluster = await make_cluster(["scheduling"], {"CLINIC_TIMEZONE": "Europe/Moscow"}, gateway_ports=[free_port()])
    try:
        first, second = cluster.gateway_urls
        async with httpx.AsyncClient(base_url=first, timeout=30) as api:
            login = await api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
            admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
            day = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=2)
            doctor = await api.post(
                f"{SCHEDULING}/doctors",
                json={
                    "last_name": "Терапевтов",
                    "first_name": "Иван",
                    "specialization_ids": [],
                    "online_booking": False,
                },
                headers=admin,
            )
            schedule = {
                "doctor_id": doctor.json()["id"],
                "date": day.isoformat(),
                "intervals": [{"start": "09:00", "end": "18:00"}],
            }
            assert (await api.post(f"{SCHEDULING}/schedules", json=schedule, headers=admin)).status_code == 201

            async def book(clock: str) -> tuple[dict[str, Any], float]:
                start = datetime.combine(day, time.fromisoformat(clock), tzinfo=ZONE).isoformat()
                body = {
                    "doctor_id": doctor.json()["id"],
                    "start": start,
                    "duration_minutes": 30,
                    "patient": {"last_name": "Орлова", "first_name": "Вера"},
                }
                response = await api.post(f"{SCHEDULING}/appointments", json=body, headers=admin)
                assert response.status_code == 201, response.text
                return response.json(), asyncio.get_running_loop().time()

            async with stream(second, admin) as on_second:
                # The first booking waits out the gateways' subscriptions (their bus connects in the background).
                warm_up, _ = await book("09:00")
                assert (await on_second.next(30))["aggregate_id"] == warm_up["id"]
                timings = []
                for clock in ("10:00", "11:00", "12:00"):
                    booked, at = await book(clock)
                    seen = await on_second.next(1.0)
                    timings.append(asyncio.get_running_loop().time() - at)
                    assert (seen["event"], seen["aggregate_id"]) == ("appointment.created", booked["id"])
                last_on_second = seen["id"]
            missed, _ = await book("13:00")
            async with stream(first, admin, last_event_id=last_on_second) as on_first:
                resumed = await on_first.next(5)
                with_nothing_more = on_first.queue.empty()
                await asyncio.sleep(1)
                nothing_more = on_first.queue.empty()
    finally:
        await asyncio.to_thread(cluster.stop)
    assert max(timings) < 1.0, timings
    assert (resumed["event"], resumed["aggregate_id"]) == ("appointment.created", missed["id"])
    assert int(resumed["id"]) > int(last_on_second)
    assert with_nothing_more and nothing_more
