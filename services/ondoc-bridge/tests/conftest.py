"""Fixtures of the ONDOC bridge tests: the fake ONDOC in-process, a fast outbound worker, the
platform with patients and the bridge, and a publisher of events that works on both buses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from ondoc_testkit import Publish

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope
from clinic_shared.testing.platform import Platform


@pytest.fixture(autouse=True)
def ondoc_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake ONDOC in-process (as embedded mode runs it) and a worker that retries quickly."""
    monkeypatch.setenv("CLINIC_ONDOC_FAKE", "true")
    monkeypatch.setenv("CLINIC_ONDOC_WORKER_POLL_SECONDS", "0.05")
    monkeypatch.setenv("CLINIC_ONDOC_BACKOFF_BASE_SECONDS", "0.02")
    monkeypatch.setenv("CLINIC_ONDOC_BACKOFF_CAP_SECONDS", "0.2")
    monkeypatch.setenv("CLINIC_ONDOC_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("CLINIC_ONDOC_FIRST_SYNC_DELAY_SECONDS", "3600")


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "ondoc"]


@pytest.fixture
async def publish(platform: Platform, settings_overrides: dict[str, Any]) -> AsyncIterator[Publish]:
    """Put an event on the platform's bus as another service would (in-process or RabbitMQ)."""
    rabbit: RabbitMqBus | None = None

    async def put(envelope: EventEnvelope) -> None:
        nonlocal rabbit
        if platform.bus is not None:
            await platform.bus.publish(envelope)
            return
        if rabbit is None:
            rabbit = RabbitMqBus(settings_overrides["amqp_url"], exchange=settings_overrides["events_exchange"])
            await rabbit.start()
        await rabbit.publish(envelope)

    yield put
    if rabbit is not None:
        await rabbit.close()
