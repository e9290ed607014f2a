"""The SMS provider unreachable (connections refused), then overloaded (SMSC's transient "too
many requests" answers) and slow, while appointment reminders fall due: the notifier keeps
retrying, and after the provider recovers every reminder is delivered exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from fault_harness import FaultCluster, book_stream

pytestmark = pytest.mark.fault

REMINDERS = 8
LEAD = dt.timedelta(seconds=80)  # the reminder (1 minute before) falls due ~20 s after booking


async def test_reminders_due_while_the_sms_provider_is_down_are_sent_once_after_it_recovers(
    fault_cluster: FaultCluster,
) -> None:
    sms = fault_cluster.sms
    phones: list[str] = []
    try:
        await asyncio.to_thread(sms.down)
        async with fault_cluster.api() as api:
            slots = await api.soon_slots(REMINDERS, lead=LEAD)
            bookings = await book_stream(api, slots, concurrency=4)
            assert [(b.status, b.error) for b in bookings if b.status != 201] == []
            phones = [b.phone for b in bookings]
            ids = [b.appointment_id for b in bookings if b.appointment_id]

            async def every_reminder_tried() -> bool:
                messages = [m for i in ids for m in await api.messages(i)]
                return len(messages) == REMINDERS and all(m["attempts"] >= 2 for m in messages)

            async with asyncio.timeout(60):
                while not await every_reminder_tried():
                    await asyncio.sleep(1)
            assert sum(sms.sent_to(phones).values()) == 0

            sms.fake.pending_errors.extend([9] * 3)  # SMSC: "too many identical requests, try later"
            sms.delay_seconds = 1.0  # slow, within the notifier's 3 s timeout
            await asyncio.to_thread(sms.up)
            async with asyncio.timeout(40):
                while len(sms.sent_to(phones)) < REMINDERS:
                    await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # a duplicate would show up within the worker's next ticks
            assert sms.sent_to(phones) == {p.replace("+", ""): 1 for p in phones}
            statuses = {m["status"] for i in ids for m in await api.messages(i)}
            assert statuses == {"sent"}
    finally:
        sms.delay_seconds = 0.0
        sms.fake.pending_errors.clear()
        if not sms.is_up:
            await asyncio.to_thread(sms.up)
