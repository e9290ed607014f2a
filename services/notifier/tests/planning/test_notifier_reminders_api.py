"""Reminders before an appointment, through the gateway and the bus (NOT-3 types 1 and 3)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import notifier_builders as build
from notifier_builders import T0
from notifier_harness import API, Notifier


def as_utc(instant: str) -> str:
    """An answer's instant (written in the clinic's zone) as UTC text, to compare with UTC literals."""
    return dt.datetime.fromisoformat(instant).astimezone(dt.UTC).isoformat()


async def _patient_and_appointment(notifier: Notifier, **appointment: object) -> tuple[object, object]:
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.appointment(patient_id=patient.id, **appointment)
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    return patient, visit


async def test_day_before_reminder_is_sent_at_send_time_with_the_rendered_text(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(hours=1))
    await notifier.create_schedule(build.schedule_body("days_before_appointment", days=1, send_time="10:00"))
    # Appointment on 16 March at 12:00 Moscow: the reminder is due on 15 March at 10:00 Moscow.
    await _patient_and_appointment(notifier, start=T0 + timedelta(days=1, hours=2))
    notifier.clock.set(T0 - timedelta(minutes=1))
    await notifier.tick()
    assert await notifier.fake_sms() == []

    notifier.clock.set(T0)
    await notifier.tick()

    sms = await notifier.fake_sms()
    assert [(m["phone"], m["text"]) for m in sms] == [
        ("79229999999", "Иван, ждём вас 16.03.2027 в 12:00, врач Петров П. П.")
    ]
    [message] = await notifier.messages()
    assert message["status"] == "sent"
    assert message["recipient"] == "79229999999"


async def test_minutes_before_reminder_sets_the_communication_status_through_its_event(notifier: Notifier) -> None:
    status_id = "4a6f3c1e-0000-4000-8000-000000000001"
    notifier.clock.set(T0 - timedelta(hours=3))
    schedule = await notifier.create_schedule(
        build.schedule_body("minutes_before_appointment", minutes=120, set_communication_status_id=status_id)
    )
    _, visit = await _patient_and_appointment(notifier, start=T0 + timedelta(hours=2))
    notifier.clock.set(T0)
    await notifier.tick()

    event = await notifier.platform.wait_for_event(
        "notification.sent", lambda e: e.data["appointment_id"] == str(visit.id)
    )
    assert event.data["communication_status_id"] == status_id
    assert event.data["schedule_id"] == schedule["id"]
    assert event.data["channel"] == "sms"


async def test_a_moved_appointment_gets_one_reminder_at_its_new_time(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    _patient, visit = await _patient_and_appointment(notifier, start=T0 + timedelta(hours=1))
    moved = visit.model_copy(update={"start": T0 + timedelta(hours=5), "end": T0 + timedelta(hours=5, minutes=30)})
    await notifier.send("appointment.updated", moved, aggregate_id=visit.id, version=2)

    notifier.clock.set(T0)  # the old reminder's time
    await notifier.tick()
    assert await notifier.fake_sms() == []
    notifier.clock.set(T0 + timedelta(hours=4))
    await notifier.tick()
    await notifier.tick()

    sms = await notifier.fake_sms()
    assert [m["text"] for m in sms] == ["Иван, ждём вас 15.03.2027 в 15:00, врач Петров П. П."]
    statuses = sorted((m["status"], m["error"]) for m in await notifier.messages(appointment_id=visit.id))
    assert statuses == [("cancelled", "appointment changed"), ("sent", None)]


async def test_a_deleted_appointment_cancels_its_reminder(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    _, visit = await _patient_and_appointment(notifier, start=T0 + timedelta(hours=1))
    deleted = visit.model_copy(update={"deleted": True, "deletion_reason": "patient called"})
    await notifier.send("appointment.deleted", deleted, aggregate_id=visit.id, version=2)
    notifier.clock.set(T0)
    await notifier.tick()

    assert await notifier.fake_sms() == []
    [message] = await notifier.messages(appointment_id=visit.id)
    assert (message["status"], message["error"]) == ("cancelled", "appointment deleted")


async def test_an_older_appointment_version_does_not_undo_a_move(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    patient = build.patient()
    await notifier.send("patient.created", patient, aggregate_id=patient.id)
    visit = build.appointment(patient_id=patient.id, start=T0 + timedelta(hours=1))
    moved = visit.model_copy(update={"start": T0 + timedelta(hours=5)})
    await notifier.send("appointment.updated", moved, aggregate_id=visit.id, version=2)
    await notifier.send("appointment.created", visit, aggregate_id=visit.id, version=1)  # arrives late

    [message] = await notifier.messages(appointment_id=visit.id)
    assert as_utc(message["due_at"]).startswith("2027-03-15T11:00:00")


async def test_a_primary_patient_is_reminded_on_the_phone_of_the_appointment(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    visit = build.appointment(
        patient_id=None,
        is_primary=True,
        first_name="Ольга",
        last_name="Смирнова",
        mobile_phone="+7 912 000-11-22",
        start=T0 + timedelta(hours=1),
    )
    await notifier.send("appointment.created", visit, aggregate_id=visit.id)
    notifier.clock.set(T0)
    await notifier.tick()

    assert [(m["phone"], m["text"][:5]) for m in await notifier.fake_sms()] == [("79120001122", "Ольга")]


async def test_creating_a_schedule_plans_the_appointments_already_booked(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=2))
    _, visit = await _patient_and_appointment(notifier, start=T0 + timedelta(days=1))
    schedule = await notifier.create_schedule(build.schedule_body("days_before_appointment", days=1, send_time="10:00"))

    [message] = await notifier.messages(schedule_id=schedule["id"])
    assert (message["status"], message["appointment_id"]) == ("queued", str(visit.id))
    assert as_utc(message["due_at"]).startswith("2027-03-15T07:00:00")


async def test_disabling_a_schedule_cancels_its_queued_messages(notifier: Notifier) -> None:
    notifier.clock.set(T0 - timedelta(days=1))
    schedule = await notifier.create_schedule(build.schedule_body("minutes_before_appointment", minutes=60))
    await _patient_and_appointment(notifier, start=T0 + timedelta(hours=1))
    response = await notifier.client.patch(
        f"{API}/schedules/{schedule['id']}", json={"enabled": False}, headers=notifier.headers
    )
    assert response.status_code == 200, response.text
    notifier.clock.set(T0)
    await notifier.tick()

    assert await notifier.fake_sms() == []
    assert [(m["status"], m["error"]) for m in await notifier.messages()] == [("cancelled", "schedule changed")]
