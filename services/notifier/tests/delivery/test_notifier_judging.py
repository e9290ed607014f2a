"""What happens to a claimed message: send, cancel or drop (NOT-7), and whom it goes to."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import notifier_builders as build
import pytest
from notifier_builders import T0

from notifier.delivery.base import PermanentError
from notifier.delivery.judging import email_recipient, judge, sms_recipient
from notifier.delivery.phones import normalize_phone
from notifier.planning.rules import occasion_at

GRACE = timedelta(hours=6)


def verdict(**overrides: Any) -> Any:
    visit = overrides.pop("appointment", build.appointment())
    values: dict[str, Any] = {
        "kind": "minutes_before_appointment",
        "context": {"start": occasion_at(visit.start)} if visit else {},
        "first_attempt": True,
        "due_at": T0,
        "now": T0,
        "grace": GRACE,
        "schedule_enabled": True,
        "appointment": visit,
        "patient": None,
    }
    values.update(overrides)
    return judge(**values)


def test_a_due_reminder_goes_out() -> None:
    assert verdict() is None


def test_a_reminder_within_the_grace_period_goes_out_after_downtime() -> None:
    assert verdict(now=T0 + timedelta(hours=5)) is None


def test_a_reminder_late_by_more_than_the_grace_period_is_dropped() -> None:
    visit = build.appointment(start=T0 + timedelta(days=2))
    result = verdict(appointment=visit, context={"start": occasion_at(visit.start)}, now=T0 + timedelta(hours=7))
    assert result is not None and result.status == "dropped" and "not running" in result.reason


def test_a_reminder_for_a_started_appointment_is_dropped() -> None:
    visit = build.appointment(start=T0 + timedelta(hours=1))
    result = verdict(appointment=visit, context={"start": occasion_at(visit.start)}, now=T0 + timedelta(hours=1))
    assert result is not None and (result.status, result.reason) == ("dropped", "the appointment has already started")


def test_a_reminder_for_a_deleted_appointment_is_cancelled() -> None:
    result = verdict(appointment=build.appointment(deleted=True))
    assert result is not None and (result.status, result.reason) == ("cancelled", "appointment deleted")


def test_a_reminder_for_the_old_time_of_a_moved_appointment_is_cancelled() -> None:
    result = verdict(context={"start": occasion_at(T0 + timedelta(days=5))})
    assert result is not None and result.reason == "appointment moved"


def test_a_disabled_or_deleted_schedule_cancels_its_message() -> None:
    assert verdict(schedule_enabled=False).reason == "schedule disabled"
    assert verdict(schedule_enabled=None).reason == "schedule deleted"


def test_a_retry_is_not_dropped_for_lateness() -> None:
    assert verdict(first_attempt=False, now=T0 + timedelta(hours=10)) is None


def test_a_birthday_greeting_is_dropped_when_the_birth_date_changed() -> None:
    patient = build.patient(birth_date=date(1980, 5, 1))
    result = verdict(kind="days_before_birthday", context={"birthday": "2027-03-15"}, appointment=None, patient=patient)
    assert result is not None and result.reason == "the birth date changed"


def test_an_expired_attach_code_is_dropped() -> None:
    context = {"code": "123456789", "expires_at": (T0 - timedelta(minutes=1)).isoformat()}
    result = verdict(kind="ondoc_attach_code", context=context, schedule_enabled=None, appointment=None)
    assert result is not None and result.reason == "the attach code has expired"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("8 (922) 999-99-99", "RU", "79229999999"),
        ("+7 922 999 99 99", "RU", "79229999999"),
        ("9229999999", "RU", "79229999999"),
        ("0151 23456789", "DE", "4915123456789"),
        ("+49 151 23456789", "RU", "4915123456789"),
    ],
)
def test_phones_are_normalised_by_the_country_setting(raw: str, country: str, expected: str) -> None:
    assert normalize_phone(raw, country) == expected


@pytest.mark.parametrize("raw", ["123", "not a phone", "+7 343 000-00-00"])
def test_invalid_or_landline_numbers_fail_permanently(raw: str) -> None:
    with pytest.raises(PermanentError):
        normalize_phone(raw, "RU")


def test_a_primary_patient_is_texted_on_the_phone_typed_into_the_appointment() -> None:
    visit = build.appointment(patient_id=None, mobile_phone="+7 912 000 11 22")
    assert sms_recipient(None, visit, "RU") == "79120001122"


def test_the_card_phone_wins_over_the_appointment_phone() -> None:
    visit = build.appointment(mobile_phone="+7 912 000 11 22")
    assert sms_recipient(build.patient(), visit, "RU") == "79229999999"


def test_missing_contacts_fail_permanently() -> None:
    with pytest.raises(PermanentError, match="no mobile phone"):
        sms_recipient(build.patient(mobile_phone=None), None, "RU")
    with pytest.raises(PermanentError, match="no e-mail"):
        email_recipient(build.patient(email=None, id=uuid.uuid4()))
