"""Fixtures of the lab tests: the platform with the lab service, a fast exchange worker, and a
way to put events on the bus (in-process or RabbitMQ) as other services would."""

from __future__ import annotations

from typing import Any

import pytest
from lab_builders import Publish, publish

from clinic_shared.events import EventEnvelope
from clinic_shared.testing.platform import Platform

FAST_EXCHANGE = {
    "CLINIC_LAB_FAKE_EXCHANGE": "true",
    "CLINIC_LAB_EXCHANGE_TICK_SECONDS": "0.1",
    "CLINIC_LAB_EXCHANGE_BACKOFF_SECONDS": "0.05",
    "CLINIC_LAB_EXCHANGE_BACKOFF_CAP_SECONDS": "0.2",
    "CLINIC_LAB_EXCHANGE_POLL_SECONDS": "0.05",
    "CLINIC_LAB_FAKE_RESULT_DELAY_SECONDS": "0",
    # Off unless a test needs it (`exchange_worker_on`): its polling costs every other test CPU.
    "CLINIC_LAB_EXCHANGE_WORKER": "false",
}


@pytest.fixture
def platform_services() -> list[str]:
    """Lab alone: patients arrive as `patient.*` events (see `publish_event`)."""
    return ["lab"]


@pytest.fixture(autouse=True)
def fast_exchange(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process fake lab with short delays, whichever database the test runs on."""
    for name, value in FAST_EXCHANGE.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def exchange_worker_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the exchange worker in the lab service of this test."""
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_WORKER", "true")


@pytest.fixture
def publish_event(platform: Platform, settings_overrides: dict[str, Any]) -> Publish:
    """Publish an event on the platform's bus, as another service would."""

    async def _publish(envelope: EventEnvelope) -> None:
        await publish(platform, settings_overrides, envelope)

    return _publish
