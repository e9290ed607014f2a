"""Which message a schedule wants for an appointment or a birthday (pure decisions)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import notifier_builders as build
from notifier_builders import T0

from notifier.planning.occasions import ScheduleSpec, Window, plan_birthday, plan_for_appointment
from notifier.schedules.parameters import parse_parameters

MOSCOW = ZoneInfo("Europe/Moscow")
OPEN = Window(earliest=T0 - timedelta(days=30), earliest_triggered=T0 - timedelta(days=30))


def spec(schedule_type: str, **params: object) -> ScheduleSpec:
    return ScheduleSpec(uuid.uuid4(), schedule_type, "sms", parse_parameters(schedule_type, params))


def test_a_deleted_appointment_wants_no_message() -> None:
    schedule = spec("minutes_before_appointment", minutes=60)
    assert plan_for_appointment(schedule, build.appointment(deleted=True), MOSCOW, OPEN) is None


def test_the_reminder_occasion_is_the_appointment_start() -> None:
    schedule = spec("minutes_before_appointment", minutes=60)
    first = plan_for_appointment(schedule, build.appointment(), MOSCOW, OPEN)
    moved = plan_for_appointment(schedule, build.appointment(start=T0 + timedelta(days=2)), MOSCOW, OPEN)
    assert first is not None and moved is not None
    assert first.occasion_key != moved.occasion_key


def test_a_same_day_reminder_after_the_start_is_not_planned() -> None:
    schedule = spec("days_before_appointment", days=0, send_time="18:00")
    visit = build.appointment(start=datetime(2027, 3, 16, 9, 0, tzinfo=MOSCOW))
    assert plan_for_appointment(schedule, visit, MOSCOW, OPEN) is None


def test_a_reminder_due_before_the_booking_happened_is_not_planned() -> None:
    schedule = spec("minutes_before_appointment", minutes=120)
    visit = build.appointment(start=T0 + timedelta(hours=1))
    assert plan_for_appointment(schedule, visit, MOSCOW, Window(earliest=T0, earliest_triggered=T0)) is None


def test_the_day_type_filter_keeps_only_matching_days() -> None:
    wanted = uuid.uuid4()
    schedule = spec("minutes_before_appointment", minutes=60, day_type_ids=[str(wanted)])
    assert plan_for_appointment(schedule, build.appointment(day_type_id=wanted), MOSCOW, OPEN) is not None
    assert plan_for_appointment(schedule, build.appointment(day_type_id=uuid.uuid4()), MOSCOW, OPEN) is None
    assert plan_for_appointment(schedule, build.appointment(day_type_id=None), MOSCOW, OPEN) is None


def test_only_appointments_created_on_the_sending_day_qualify_when_asked() -> None:
    schedule = spec("minutes_before_appointment", minutes=60, only_created_on_sending_day=True)
    start = datetime(2027, 3, 16, 15, 0, tzinfo=MOSCOW)
    same_day = build.appointment(start=start, created_at=datetime(2027, 3, 16, 8, 0, tzinfo=MOSCOW))
    day_before = build.appointment(start=start, created_at=datetime(2027, 3, 15, 23, 0, tzinfo=MOSCOW))
    unknown = build.appointment(start=start, created_at=None)
    assert plan_for_appointment(schedule, same_day, MOSCOW, OPEN) is not None
    assert plan_for_appointment(schedule, day_before, MOSCOW, OPEN) is None
    assert plan_for_appointment(schedule, unknown, MOSCOW, OPEN) is None


def test_after_services_needs_one_of_the_services_and_counts_days_after() -> None:
    service = uuid.uuid4()
    schedule = spec("after_services", service_ids=[str(service)], days_after=14, send_time="13:00")
    visit = build.appointment(service_ids=[uuid.uuid4(), service], start=datetime(2027, 3, 1, 9, 0, tzinfo=MOSCOW))
    planned = plan_for_appointment(schedule, visit, MOSCOW, OPEN)
    assert planned is not None and planned.due_at == datetime(2027, 3, 15, 13, 0, tzinfo=MOSCOW)
    assert plan_for_appointment(schedule, build.appointment(service_ids=[uuid.uuid4()]), MOSCOW, OPEN) is None


def test_after_status_change_is_due_minutes_after_the_change_to_that_status() -> None:
    status = uuid.uuid4()
    schedule = spec("after_status_change", minutes=180, status_id=str(status))
    visit = build.appointment(status_id=status, status_changed_at=T0)
    planned = plan_for_appointment(schedule, visit, MOSCOW, OPEN)
    assert planned is not None and planned.due_at == T0 + timedelta(hours=3)
    other = build.appointment(status_id=uuid.uuid4(), status_changed_at=T0)
    assert plan_for_appointment(schedule, other, MOSCOW, OPEN) is None


def test_birthday_greeting_is_planned_days_before_at_the_send_time() -> None:
    schedule = spec("days_before_birthday", days=2, send_time="12:00")
    patient = build.patient(birth_date=date(1980, 3, 17))
    decided = plan_birthday(schedule, patient, date(2027, 3, 15), MOSCOW)
    assert decided is not None
    planned, birthday = decided
    assert birthday == date(2027, 3, 17)
    assert planned.due_at == datetime.combine(date(2027, 3, 15), time(12, 0), tzinfo=MOSCOW).astimezone(UTC)
    assert planned.occasion_key == "birthday:2027"


def test_29_february_greeting_goes_out_on_28_february_in_a_common_year() -> None:
    schedule = spec("days_before_birthday", days=0, send_time="12:00")
    leapling = build.patient(birth_date=date(2000, 2, 29))
    assert plan_birthday(schedule, leapling, date(2027, 2, 28), MOSCOW) is not None
    assert plan_birthday(schedule, leapling, date(2027, 3, 1), MOSCOW) is None
    assert plan_birthday(schedule, leapling, date(2028, 2, 28), MOSCOW) is None
    assert plan_birthday(schedule, leapling, date(2028, 2, 29), MOSCOW) is not None
