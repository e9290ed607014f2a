"""Poison messages published to the events exchange with a real routing key while bookings
flow: a body that is not an event is parked in each consumer's `.dead` queue at once, an event
whose data no handler can apply is parked after the configured number of attempts, and neither
holds up the bookings behind them."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import pytest
from fault_harness import FaultCluster, book_stream

from clinic_shared.bus import ATTEMPT_HEADER

pytestmark = pytest.mark.fault

BOOKINGS = 60
MAX_ATTEMPTS = 3  # CLINIC_CONSUMER_MAX_ATTEMPTS of the fault cluster
CONSUMERS = ("notifier", "ondoc")


async def plant(fault: FaultCluster, body: bytes, message_id: str) -> None:
    connection = await aio_pika.connect(fault.broker.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(fault.isolation.exchange)
        message = aio_pika.Message(
            body, message_id=message_id, content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT
        )
        await exchange.publish(message, routing_key="appointment.created")


async def take_parked(fault: FaultCluster, service: str, expected: int, timeout: float = 60) -> dict[str, int]:
    """Wait for `expected` messages in the service's `.dead` queue, take them: message id → attempts."""
    name = f"{fault.queue(service)}.dead"
    async with asyncio.timeout(timeout):
        while (await asyncio.to_thread(fault.broker.queue_depths)).get(name, 0) < expected:
            await asyncio.sleep(0.5)
    parked: dict[str, int] = {}
    connection = await aio_pika.connect(fault.broker.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(name)
        while (message := await queue.get(fail=False)) is not None:
            parked[str(message.message_id)] = int((message.headers or {}).get(ATTEMPT_HEADER, 1))  # type: ignore[arg-type]
            await message.ack()
    return parked


async def test_poison_messages_are_parked_after_their_attempts_without_blocking_later_events(
    fault_cluster: FaultCluster,
) -> None:
    not_an_event = f"poison-bytes-{uuid.uuid4()}"
    unappliable = str(uuid.uuid4())
    bad_event = {
        "id": unappliable,
        "type": "appointment.created",
        "producer": "scheduling",
        "aggregate_id": "x",
        "aggregate_version": 1,
        "data": {"id": "not-a-uuid", "start": "yesterday"},
    }
    async with fault_cluster.api() as api:
        slots = await api.far_slots(BOOKINGS)
        first, rest = slots[: BOOKINGS // 2], slots[BOOKINGS // 2 :]
        bookings = await book_stream(api, first, concurrency=2)
        await plant(fault_cluster, b"{not json", not_an_event)
        await plant(fault_cluster, json.dumps(bad_event).encode(), unappliable)
        bookings += await book_stream(api, rest, concurrency=2)

    assert [(b.status, b.error) for b in bookings if b.status != 201] == []
    for service in CONSUMERS:
        parked = await take_parked(fault_cluster, service, expected=2)
        assert parked == {not_an_event: 1, unappliable: MAX_ATTEMPTS}, service
    booked = await fault_cluster.appointments_of({b.doctor_id for b in bookings})
    assert len(booked) == BOOKINGS
    await fault_cluster.wait_consistent(booked)
