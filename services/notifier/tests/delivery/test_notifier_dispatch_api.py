"""Sending: retries with backoff, permanent failures, manual retry, downtime and restarts (NOT-5, NOT-7)."""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import timedelta

import notifier_builders as build
import pytest
from asgi_lifespan import LifespanManager
from notifier_builders import T0
from notifier_harness import API, Notifier
from sqlalchemy import func, select

from notifier.app import create_app
from notifier.clock import ManualClock
from notifier.delivery.base import PermanentError, TransientError
from notifier.messages.models import Message
from notifier.planning import service as planning
from notifier.planning.occasions import Window
from notifier.schedules.kinds import APPOINTMENT_TYPES


def as_utc(instant: str) -> str:
    """An answer's instant (written in the clinic's zone) as UTC text, to compare with UTC literals."""
    return dt.datetime.fromisoformat(instant).astimezone(dt.UTC).isoformat()


async def _booked(notifier: Notifier, start_in: timedelta, **patient: object) -> tuple[object, object]:
    person = build.patient(**patient)
    await notifier.send("patient.created", person, aggregate_id=person.id)
    visit = build.appointment(patient_id=person.id, start=T0 + start_in)
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    return person, visit


async def test_a_transient_failure_is_retried_later_and_then_sent(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    await _booked(notifier, timedelta(hours=2))
    assert notifier.context.fake_sms is not None
    notifier.context.fake_sms.fail_next(TransientError("SMSC: HTTP 503"))
    notifier.clock.set(T0)
    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["attempts"], message["error"]) == ("queued", 1, "SMSC: HTTP 503")
    assert "2027-03-15T07:00:15" <= as_utc(message["next_attempt_at"]) <= "2027-03-15T07:00:45"  # 30 s ± 50 %
    notifier.clock.advance(timedelta(minutes=1))
    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["attempts"]) == ("sent", 2)
    assert len(await notifier.fake_sms()) == 1


async def test_a_pass_that_sends_one_message_and_retries_another_records_both(notifier: Notifier) -> None:
    # Found by the fault suite: the outcomes of one pass were written as one batch, so the sent
    # row got the retried row's columns as NULL (next_attempt_at) and the whole pass rolled back.
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    await _booked(notifier, timedelta(hours=2))
    await _booked(notifier, timedelta(hours=2))
    assert notifier.context.fake_sms is not None
    notifier.context.fake_sms.fail_next(TransientError("SMSC: HTTP 503"))
    notifier.clock.set(T0)
    await notifier.tick()

    messages = await notifier.messages()
    assert sorted((m["status"], m["attempts"]) for m in messages) == [("queued", 1), ("sent", 1)]
    assert len(await notifier.fake_sms()) == 1


async def test_a_permanent_failure_is_not_retried_and_is_published(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    _, visit = await _booked(notifier, timedelta(hours=2))
    assert notifier.context.fake_sms is not None
    notifier.context.fake_sms.fail_next(PermanentError("SMSC: not enough money on the account"))
    notifier.clock.set(T0)
    await notifier.tick()
    notifier.clock.advance(timedelta(hours=1))
    await notifier.tick()

    [message] = await notifier.messages()
    assert (message["status"], message["attempts"]) == ("failed", 1)
    event = await notifier.platform.wait_for_event(
        "notification.failed", lambda e: e.data["appointment_id"] == str(visit.id)
    )
    assert event.data["error"] == "SMSC: not enough money on the account"


async def test_staff_can_retry_a_failed_message(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    await _booked(notifier, timedelta(hours=2), mobile_phone=None)
    notifier.clock.set(T0)
    await notifier.tick()
    [failed] = await notifier.messages(status="failed")
    assert failed["error"] == "the patient has no mobile phone"

    response = await notifier.client.post(f"{API}/messages/{failed['id']}/retry", headers=notifier.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "queued"
    await notifier.tick()

    [again] = await notifier.messages()
    assert (again["id"], again["status"], again["attempts"]) == (failed["id"], "failed", 2)


async def test_retry_needs_the_send_right(notifier: Notifier) -> None:
    reader = await notifier.platform.headers_with(["notifier.read"])
    response = await notifier.client.post(f"{API}/messages/00000000-0000-4000-8000-000000000000/retry", headers=reader)
    assert response.status_code == 403
    assert "notifier.send" in response.json()["detail"]


async def test_after_downtime_due_messages_go_out_once_and_stale_ones_are_dropped(notifier: Notifier) -> None:
    """Stop the worker, let due times pass, start a fresh app on the same database."""
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    await _booked(notifier, timedelta(hours=2))  # due at T0 + 1h
    await _booked(notifier, timedelta(hours=2, minutes=30), mobile_phone="+7 912 000-11-22")  # due at T0 + 1h30
    _, started = await _booked(notifier, timedelta(hours=1, minutes=30), mobile_phone="+7 912 000-33-44")
    old_worker = notifier.context.worker
    assert old_worker is not None
    await old_worker.stop()  # the notifier goes down

    # Back at T0 + 1h40: the first two are due and their appointments still ahead; the third started.
    clock = ManualClock(T0 + timedelta(hours=1, minutes=40))
    settings = notifier.context.settings
    restarted = create_app(settings, bus=notifier.platform.bus)
    restarted.state.notifier.clock_override = clock
    async with LifespanManager(restarted):
        runtime = restarted.state.notifier.require_runtime()
        async with asyncio.timeout(10):
            while True:  # the first pass runs on start, by itself
                async with runtime.db.read_session() as session:
                    left = (
                        await session.execute(select(func.count()).where(Message.status.in_(["queued", "sending"])))
                    ).scalar_one()
                if left == 0:
                    break
                await asyncio.sleep(0.05)
        await restarted.state.notifier.worker.run_once()  # a second pass changes nothing

    messages = await notifier.messages()
    assert sorted(m["status"] for m in messages) == ["dropped", "sent", "sent"]
    [dropped] = [m for m in messages if m["status"] == "dropped"]
    assert (dropped["appointment_id"], dropped["error"]) == (str(started.id), "the appointment has already started")
    assert restarted.state.notifier.fake_sms is not None
    assert sorted(m.phone for m in restarted.state.notifier.fake_sms.sent) == ["79120001122", "79229999999"]


async def test_a_reminder_late_beyond_the_grace_period_is_dropped(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("days_before_appointment", days=1, send_time="10:00"))
    await _booked(notifier, timedelta(days=1, hours=2))
    notifier.clock.set(T0 + timedelta(hours=7))
    await notifier.tick()

    [message] = await notifier.messages()
    assert message["status"] == "dropped"
    assert message["error"] == "due more than 360 minutes ago (the notifier was not running)"
    assert await notifier.fake_sms() == []


async def test_two_planners_at_once_make_one_message(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    runtime = notifier.context.require_runtime()
    visit = build.appointment(start=T0 + timedelta(hours=3))

    async def plan() -> None:
        async with runtime.db.session() as session:
            await planning.plan_appointment(
                session,
                appointment=visit,
                schedules=await planning.enabled_specs(session, APPOINTMENT_TYPES),
                tz=notifier.context.tz,
                window=Window(earliest=T0 - timedelta(days=1), earliest_triggered=T0),
                now=T0,
            )

    await asyncio.gather(*(plan() for _ in range(4)))

    assert len(await notifier.messages(appointment_id=visit.id)) == 1


async def test_a_run_over_several_batches_sends_each_reminder_once_and_publishes_each(
    notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches overlap (the next is claimed while one is on the wire): none may be sent twice or lost.
    monkeypatch.setattr(notifier.context.settings, "notifier_batch_size", 2)
    monkeypatch.setattr(notifier.context.settings, "notifier_concurrency", 2)
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=120))
    visits = [(await _booked(notifier, timedelta(hours=2), mobile_phone=f"+7922000000{n}"))[1] for n in range(5)]
    notifier.clock.set(T0)

    # The worker woken by the bookings' events may take the pass; either way one pass sends them.
    await notifier.tick()

    messages = await notifier.messages()
    assert sorted((m["status"], m["attempts"]) for m in messages) == [("sent", 1)] * 5
    assert sorted(sms["phone"] for sms in await notifier.fake_sms()) == [f"7922000000{n}" for n in range(5)]
    for visit in visits:
        event = await notifier.platform.wait_for_event(
            "notification.sent", lambda e, visit=visit: e.data["appointment_id"] == str(visit.id)
        )
        assert event.data["channel"] == "sms"
