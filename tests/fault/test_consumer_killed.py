"""A consumer (the notifier) killed with SIGKILL in the middle of a stream of bookings and
started again: messages it held unacknowledged are redelivered, the inbox absorbs the ones it had
already applied, and every booking ends up in its projection exactly once."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from fault_harness import FaultCluster, book_stream

pytestmark = pytest.mark.fault

BOOKINGS = 100


class CountingApi:
    """The clinic API, counting answered bookings so the kill lands mid-stream."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.answered = 0

    async def book(self, slot: Any) -> Any:
        result = await self.api.book(slot)
        self.answered += 1
        return result


async def test_a_consumer_killed_mid_stream_applies_every_event_once_after_restart(fault_cluster: FaultCluster) -> None:
    async with fault_cluster.api() as api:
        slots = await api.far_slots(BOOKINGS)

        killed_at: list[float] = []
        counting = CountingApi(api)

        async def kill_the_notifier() -> None:
            # Mid-stream by progress, not by the clock: on an idle machine 100 bookings take ~2 s.
            while counting.answered < BOOKINGS // 4:
                await asyncio.sleep(0.01)
            killed_at.append(time.monotonic())
            await asyncio.to_thread(fault_cluster.cluster.restart, "notifier", kill=True)

        bookings, _ = await asyncio.gather(book_stream(counting, slots, concurrency=3), kill_the_notifier())

    assert [(b.status, b.error) for b in bookings if b.status != 201] == []
    assert any(b.answered_at > killed_at[0] for b in bookings), "the stream ended before the kill"
    booked = await fault_cluster.appointments_of({b.doctor_id for b in bookings})
    assert len(booked) == BOOKINGS
    await fault_cluster.wait_consistent(booked)
    assert fault_cluster.cluster.processes["notifier"].poll() is None
    assert await fault_cluster.inbox_duplicates("notifier") == 0
