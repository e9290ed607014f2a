"""Two replicas of scheduling (two outbox relays on one outbox) and of the notifier (competing
consumers on one queue, two dispatchers on one message table) running at once: bookings made
on both scheduling replicas reach every consumer once, and every reminder is sent once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from fault_harness import ClinicApi, FaultCluster, book_stream

pytestmark = pytest.mark.fault

REMINDERS = 6
BOOKINGS = 80
LEAD = dt.timedelta(seconds=70)


async def test_two_replicas_publish_and_send_every_booking_and_reminder_once(fault_cluster: FaultCluster) -> None:
    try:
        scheduling_port = await asyncio.to_thread(fault_cluster.spawn_replica, "scheduling")
        await asyncio.to_thread(fault_cluster.spawn_replica, "notifier")
        async with fault_cluster.api() as api:
            replica = ClinicApi(api.client, api.zone, scheduling=f"http://127.0.0.1:{scheduling_port}")
            soon = await api.soon_slots(REMINDERS, lead=LEAD)
            far = await api.far_slots(BOOKINGS)
            half = BOOKINGS // 2
            results = await asyncio.gather(
                book_stream(api, soon[: REMINDERS // 2] + far[:half], concurrency=2),
                book_stream(replica, soon[REMINDERS // 2 :] + far[half:], concurrency=2),
            )
        bookings = [b for part in results for b in part]
        assert [(b.status, b.error) for b in bookings if b.status != 201] == []

        phones = [b.phone for b in soon]
        async with asyncio.timeout(60):
            while len(fault_cluster.sms.sent_to(phones)) < REMINDERS:
                await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # a second dispatcher's duplicate would show up by now
        assert fault_cluster.sms.sent_to(phones) == {p.replace("+", ""): 1 for p in phones}

        booked = await fault_cluster.appointments_of({b.doctor_id for b in bookings})
        assert len(booked) == REMINDERS + BOOKINGS
        await fault_cluster.wait_consistent(booked)
        assert await fault_cluster.inbox_duplicates("notifier") == 0
    finally:
        await asyncio.to_thread(fault_cluster.stop_extra_replicas)
