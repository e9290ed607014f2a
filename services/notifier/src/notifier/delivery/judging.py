"""What to do with a claimed message: pure decisions, no I/O (NOT-5, NOT-7, NOT-8).

A message whose reason to exist is gone is cancelled (its schedule or appointment was
deleted); one that no longer makes sense is dropped (the appointment has started, the
notifier was down longer than the grace period, the code expired). Both keep the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from clinic_shared.events import AppointmentState, PatientState
from notifier.delivery.base import PermanentError
from notifier.delivery.phones import normalize_phone
from notifier.planning import rules
from notifier.schedules.kinds import APPOINTMENT_TYPES, ATTACH_CODE_KIND, REMINDER_TYPES

# The ONDOC code has no schedule: its texts are built in (NOT-8).
ATTACH_CODE_SMS = "Код для привязки медицинской карты в ONDOC: %Code%. %ClinicName%"
ATTACH_CODE_EMAIL_SUBJECT = "Код для привязки к ONDOC"
ATTACH_CODE_EMAIL = (
    "Здравствуйте, %Name1% %Name2%!\n\n"
    "Ваш код для привязки медицинской карты в ONDOC: %Code%\n"
    "Введите его в приложении ONDOC.\n\n%ClinicName% %ClinicPhone%"
)


@dataclass(frozen=True)
class Verdict:
    status: str  # "cancelled" or "dropped"
    reason: str


def context_of(raw: str | None) -> dict[str, Any]:
    """The message's planning context (JSON column)."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def judge(
    *,
    kind: str,
    context: dict[str, Any],
    first_attempt: bool,
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    schedule_enabled: bool | None,
    appointment: AppointmentState | None,
    patient: PatientState | None,
) -> Verdict | None:
    """None when the message should go out now; otherwise why it must not."""
    if kind != ATTACH_CODE_KIND:
        if schedule_enabled is None:
            return Verdict("cancelled", "schedule deleted")
        if not schedule_enabled:
            return Verdict("cancelled", "schedule disabled")
    if kind in APPOINTMENT_TYPES:
        if appointment is None:
            return Verdict("dropped", "appointment unknown to the notifier")
        if appointment.deleted:
            return Verdict("cancelled", "appointment deleted")
        if kind in REMINDER_TYPES:
            if context.get("start") != rules.occasion_at(appointment.start):
                return Verdict("cancelled", "appointment moved")
            if appointment.start <= now:
                return Verdict("dropped", "the appointment has already started")
    if patient is not None and patient.deleted:
        return Verdict("cancelled", "patient card deleted")
    if kind == "days_before_birthday":
        birthday = context.get("birthday")
        if patient is None or patient.birth_date is None:
            return Verdict("dropped", "the patient's birth date is unknown")
        if (
            not isinstance(birthday, str)
            or birthday != rules.birthday_in_year(patient.birth_date, date.fromisoformat(birthday).year).isoformat()
        ):
            return Verdict("dropped", "the birth date changed")
    if kind == ATTACH_CODE_KIND and context.get("expires_at"):
        if datetime.fromisoformat(context["expires_at"]) <= now:
            return Verdict("dropped", "the attach code has expired")
    if first_attempt and now - due_at > grace:
        minutes = int(grace.total_seconds() // 60)
        return Verdict("dropped", f"due more than {minutes} minutes ago (the notifier was not running)")
    return None


def sms_recipient(patient: PatientState | None, appointment: AppointmentState | None, country: str) -> str:
    """The mobile number to text: the card's, else the one typed into the appointment."""
    raw = (patient.mobile_phone if patient else None) or (appointment.mobile_phone if appointment else None)
    if not raw:
        raise PermanentError("the patient has no mobile phone")
    return normalize_phone(raw, country)


def email_recipient(patient: PatientState | None) -> str:
    """The card's e-mail address."""
    if patient is None or not patient.email:
        raise PermanentError("the patient has no e-mail address")
    return patient.email.strip()


def other_channel(channel: str) -> str:
    """SMS ↔ email (the ONDOC code's fallback)."""
    return "email" if channel == "sms" else "sms"
