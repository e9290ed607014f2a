"""Helpers for the per-service end-to-end flows (scheduling, profexam, lab) on real processes.

They talk to the cluster only as outsiders do: HTTP through the gateway, and a spy queue on
the test's own RabbitMQ exchange for the events the services publish — so a test sees what
another service of the platform would see, not what a process keeps in memory.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aio_pika
import httpx
import pytest

from clinic_shared.testing.backends import Isolation
from gateway.devcluster import Cluster

T = TypeVar("T")


def admin_headers(cluster: Cluster) -> dict[str, str]:
    """A bearer header for the cluster's admin (logs in through the gateway)."""
    login = httpx.post(
        f"{cluster.base_url}/api/auth/token",
        data={"username": "admin", "password": cluster.admin_password},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def created(response: httpx.Response) -> dict[str, Any]:
    """The body of a 201, or a failure showing what the service answered instead."""
    assert response.status_code == 201, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()  # type: ignore[no-any-return]


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


async def until(check: Callable[[], Awaitable[T | None]], what: str, timeout: float = 30.0) -> T:
    """Poll `check` until it returns something not None; fail naming `what` after `timeout` s."""
    try:
        async with asyncio.timeout(timeout):
            while (result := await check()) is None:
                await asyncio.sleep(0.2)
    except TimeoutError:
        pytest.fail(f"{what}: not within {timeout:.0f} s")
    return result


class EventSpy:
    """Every event published on the isolation's exchange matching the spy's routing keys."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def _receive(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            self.seen.append(json.loads(message.body))

    def of_type(self, event_type: str, aggregate_id: str | None = None) -> list[dict[str, Any]]:
        return [
            e
            for e in self.seen
            if e["type"] == event_type and (aggregate_id is None or e["aggregate_id"] == aggregate_id)
        ]

    async def wait_for(
        self, event_type: str, check: Callable[[dict[str, Any]], bool] = lambda _: True, timeout: float = 30.0
    ) -> dict[str, Any]:
        """The first `event_type` envelope for which `check` holds (waiting for it to arrive)."""

        async def arrived() -> dict[str, Any] | None:
            return next((e for e in self.of_type(event_type) if check(e)), None)

        return await until(arrived, f"event {event_type}", timeout)


@asynccontextmanager
async def event_spy(isolation: Isolation, *routing_keys: str) -> AsyncIterator[EventSpy]:
    """An exclusive queue on the test's exchange, bound to `routing_keys` (e.g. "appointment.*")."""
    spy = EventSpy()
    connection = await aio_pika.connect(isolation.backends.amqp_url or "")
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(isolation.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for key in routing_keys:
            await queue.bind(exchange, routing_key=key)
        await queue.consume(spy._receive)
        yield spy
