"""RabbitMQ stopped for 20 s (`rabbitmqctl stop_app` / `start_app`) during a stream of bookings:
the front desk keeps booking (events wait in the outbox), and once the broker is back every
booking reaches the notifier and the ONDOC bridge without restarting anything — the robust
consumers come back by themselves."""

from __future__ import annotations

import asyncio
import time

import pytest
from fault_harness import FaultCluster, book_stream

pytestmark = pytest.mark.fault

OUTAGE_SECONDS = 20
STREAM_SECONDS = 40
MAX_BOOKINGS = 500


async def test_bookings_made_during_a_broker_outage_reach_every_consumer_once(fault_cluster: FaultCluster) -> None:
    outage: dict[str, float] = {}
    async with fault_cluster.api() as api:
        slots = await api.far_slots(MAX_BOOKINGS)
        deadline = time.monotonic() + STREAM_SECONDS

        async def break_the_broker() -> None:
            await asyncio.sleep(3)
            await asyncio.to_thread(fault_cluster.broker.stop_app)
            outage["down"] = time.monotonic()
            await asyncio.sleep(OUTAGE_SECONDS)
            outage["up"] = time.monotonic()
            await asyncio.to_thread(fault_cluster.broker.start_app)

        bookings, _ = await asyncio.gather(
            book_stream(api, slots, concurrency=3, deadline=deadline), break_the_broker()
        )

    during = [b for b in bookings if outage["down"] < b.answered_at < outage["up"]]
    print(f"broker outage: {len(bookings)} bookings, {len(during)} while the broker was down")
    assert [(b.status, b.error) for b in bookings if b.status != 201] == []
    assert during, "no booking was made while the broker was down"
    booked = await fault_cluster.appointments_of({b.doctor_id for b in bookings})
    assert sorted(booked) == sorted(b.appointment_id for b in bookings)
    await fault_cluster.wait_consistent(booked)
    consumers = await asyncio.to_thread(fault_cluster.broker.consumers)
    assert consumers[fault_cluster.queue("notifier")] >= 1
    assert consumers[fault_cluster.queue("ondoc")] >= 1
    assert await fault_cluster.inbox_duplicates("notifier") == 0
