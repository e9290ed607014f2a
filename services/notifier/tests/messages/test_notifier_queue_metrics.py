"""The message queue on the notifier's /metrics, per channel: what should be going out now
(pending, and how late the most overdue is), what is planned for later, what was given up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import notifier_builders as build
import pytest
from notifier_builders import T0
from notifier_harness import Notifier

from clinic_shared.testing.platform import Scrape
from notifier.delivery.base import PermanentError, TransientError


@pytest.fixture
async def quiet(notifier: Notifier) -> AsyncIterator[Notifier]:
    """The notifier with its background loop stopped: messages go out only on `tick()`."""
    assert notifier.context.worker is not None
    await notifier.context.worker.stop()
    yield notifier


async def _reminder_due_at_t0(notifier: Notifier) -> None:
    """An SMS reminder planned a day ahead, due at T0 (two hours before the visit)."""
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    person = build.patient()
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + timedelta(hours=2))
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)


async def _scrape(notifier: Notifier) -> Scrape:
    return await notifier.platform.scrape("notifier")


def _depth(scrape: Scrape, channel: str, state: str) -> float | None:
    return scrape.value("outbound_queue_depth", service="notifier", target=channel, state=state)


def _late(scrape: Scrape, channel: str) -> float | None:
    return scrape.value("outbound_oldest_pending_age_seconds", service="notifier", target=channel)


async def test_a_reminder_planned_for_later_is_scheduled_not_pending(quiet: Notifier) -> None:
    await _reminder_due_at_t0(quiet)

    scrape = await _scrape(quiet)

    assert (_depth(scrape, "sms", "scheduled"), _depth(scrape, "sms", "pending")) == (1, 0)
    assert _late(scrape, "sms") == 0


async def test_a_due_reminder_not_yet_sent_is_pending_and_shows_how_late_it_is(quiet: Notifier) -> None:
    await _reminder_due_at_t0(quiet)
    quiet.clock.set(T0 + timedelta(minutes=10))

    scrape = await _scrape(quiet)

    assert (_depth(scrape, "sms", "pending"), _depth(scrape, "sms", "scheduled")) == (1, 0)
    assert _late(scrape, "sms") == 600
    assert (_depth(scrape, "email", "pending"), _late(scrape, "email")) == (0, 0)


async def test_a_message_waiting_for_a_retry_is_pending(quiet: Notifier) -> None:
    await _reminder_due_at_t0(quiet)
    assert quiet.context.fake_sms is not None
    quiet.context.fake_sms.fail_next(TransientError("SMSC: HTTP 503"))
    quiet.clock.set(T0)
    await quiet.tick()

    scrape = await _scrape(quiet)

    assert (_depth(scrape, "sms", "pending"), _depth(scrape, "sms", "scheduled")) == (1, 0)


async def test_a_message_given_up_is_failed_and_no_longer_pending(quiet: Notifier) -> None:
    await _reminder_due_at_t0(quiet)
    assert quiet.context.fake_sms is not None
    quiet.context.fake_sms.fail_next(PermanentError("SMSC: not enough money on the account"))
    quiet.clock.set(T0)
    await quiet.tick()

    scrape = await _scrape(quiet)

    assert (_depth(scrape, "sms", "failed"), _depth(scrape, "sms", "pending")) == (1, 0)
    assert _late(scrape, "sms") == 0


async def test_a_sent_message_leaves_the_queue(quiet: Notifier) -> None:
    await _reminder_due_at_t0(quiet)
    quiet.clock.set(T0)
    await quiet.tick()

    scrape = await _scrape(quiet)

    assert [_depth(scrape, "sms", state) for state in ("pending", "scheduled", "failed")] == [0, 0, 0]
