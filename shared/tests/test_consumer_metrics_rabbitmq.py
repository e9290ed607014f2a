"""A dead-lettered message on RabbitMQ shows on the consuming service's /metrics
(`consumer_queue_messages{queue="dead"}`), through the platform as Prometheus would scrape it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aio_pika
import pytest

from clinic_shared.testing.platform import Platform

pytestmark = pytest.mark.rabbitmq


@pytest.fixture
def platform_services(settings_overrides: dict[str, Any]) -> list[str]:
    """The lab alone (it consumes `patient.*`); only on RabbitMQ."""
    if not settings_overrides.get("amqp_url"):
        pytest.skip("RabbitMQ not configured: set CLINIC_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/")
    return ["lab"]


async def test_a_poison_message_for_a_service_shows_in_its_dead_letter_gauge(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    before = await platform.scrape("lab")
    assert before.value("consumer_queue_messages", service="lab", queue="dead") == 0

    connection = await aio_pika.connect(settings_overrides["amqp_url"])
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(settings_overrides["events_exchange"])
        await exchange.publish(aio_pika.Message(b"{not an event"), routing_key="patient.created")

    deadline = time.monotonic() + 10
    while (await platform.scrape("lab")).value("consumer_queue_messages", service="lab", queue="dead") != 1:
        assert time.monotonic() < deadline, "the parked message never showed on /metrics"
        await asyncio.sleep(0.05)
    after = await platform.scrape("lab")
    assert after.value("consumer_queue_messages", service="lab", queue="main") == 0
