"""The notifier test harness: drive planning and dispatch with a manual clock."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
from notifier_builders import envelope
from sqlalchemy import select

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventData, EventEnvelope
from clinic_shared.testing.platform import Platform
from notifier.clock import ManualClock
from notifier.context import NotifierContext
from notifier.delivery.worker import PassReport
from notifier.models import EVENTS

API = "/api/notifier"


@dataclass
class Notifier:
    """The running notifier as a test drives it."""

    platform: Platform
    context: NotifierContext
    clock: ManualClock
    overrides: dict[str, Any]

    @property
    def client(self) -> Any:
        return self.platform.client

    @property
    def headers(self) -> dict[str, str]:
        return self.platform.admin_headers

    async def publish(self, event: EventEnvelope) -> None:
        """Publish `event` on the bus and wait until the notifier has applied it."""
        if self.platform.bus is not None:
            await self.platform.bus.publish(event)
        else:
            bus = RabbitMqBus(self.overrides["amqp_url"], exchange=self.overrides["events_exchange"])
            await bus.start()
            try:
                await bus.publish(event)
            finally:
                await bus.close()
        runtime = self.context.require_runtime()
        async with asyncio.timeout(15):
            while True:
                async with runtime.db.read_session() as session:
                    seen = await session.execute(
                        select(EVENTS.inbox.c.event_id).where(EVENTS.inbox.c.event_id == event.id)
                    )
                    if seen.first() is not None:
                        return
                await asyncio.sleep(0.02)

    async def send(self, event_type: str, data: EventData, *, aggregate_id: Any, version: int = 1) -> EventEnvelope:
        """Publish a catalogue event that happened now (by the test clock)."""
        event = envelope(event_type, data, aggregate_id=aggregate_id, version=version, occurred_at=self.clock.now())
        await self.publish(event)
        return event

    async def tick(self) -> PassReport:
        """One planner/dispatcher pass at the clock's current time."""
        assert self.context.worker is not None
        return await self.context.worker.run_once()

    @contextlib.asynccontextmanager
    async def sending_through(self, http: httpx.AsyncClient) -> AsyncIterator[None]:
        """Passes reach the providers through `http` meanwhile (closed after), then through the
        client made at start-up again."""
        worker = self.context.worker
        assert worker is not None
        started_with = worker.resources
        worker.resources = replace(started_with, http=http)
        try:
            yield
        finally:
            worker.resources = started_with
            await http.aclose()

    async def create_schedule(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(f"{API}/schedules", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def messages(self, **filters: Any) -> list[dict[str, Any]]:
        params = {k: str(v) for k, v in filters.items()} | {"limit": "500"}
        response = await self.client.get(f"{API}/messages", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]

    async def fake_sms(self) -> list[dict[str, Any]]:
        response = await self.client.get(f"{API}/fake/sms", params={"limit": 500}, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]

    async def fake_emails(self) -> list[dict[str, Any]]:
        response = await self.client.get(f"{API}/fake/emails", params={"limit": 500}, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]
