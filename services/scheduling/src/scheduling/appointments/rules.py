"""Appointment rules as plain functions: period, booking window, marks, journal diffs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from clinic_shared.errors import ValidationFailed
from scheduling.localtime import age_on

MAX_DURATION = timedelta(hours=24)

PLACEMENT_DETAILS = {
    "no_schedule": "The doctor has no working schedule on that date.",
    "outside_working_hours": "The time is outside the doctor's working hours.",
    "in_break": "The time falls into the doctor's break.",
}
# The same reasons when the appointment's cabinet is what refuses the time.
CABINET_PLACEMENT_DETAILS = {
    "outside_working_hours": "The time is outside the cabinet's working hours.",
    "in_break": "The time falls into the cabinet's break.",
}


def resolve_end(
    start: datetime, end: datetime | None, duration_minutes: int | None, *, default_minutes: int
) -> datetime:
    """The end of an appointment from `end` or `duration_minutes` (default: the grid step).

    Refuses (422 naming the field) an end not after the start, a duration that is not
    positive, both given at once, and anything longer than 24 hours.
    """
    if end is not None and duration_minutes is not None:
        raise ValidationFailed.field("duration_minutes", "give either end or duration_minutes, not both")
    if duration_minutes is not None:
        if duration_minutes <= 0:
            raise ValidationFailed.field("duration_minutes", "must be positive")
        if duration_minutes > MAX_DURATION.total_seconds() // 60:
            raise ValidationFailed.field("duration_minutes", "must be at most 24 hours")
        return start + timedelta(minutes=duration_minutes)
    if end is None:
        return start + timedelta(minutes=default_minutes)
    if end <= start:
        raise ValidationFailed.field("end", "must be after start")
    if end - start > MAX_DURATION:
        raise ValidationFailed.field("end", "an appointment lasts at most 24 hours")
    return end


def booking_window_problem(start_date: date, *, today: date, past_days: int, horizon_days: int) -> str | None:
    """Why a start date is out of the bookable window (clinic dates), or None."""
    if start_date < today - timedelta(days=past_days):
        return f"must not be more than {past_days} day(s) in the past"
    if start_date > today + timedelta(days=horizon_days):
        return f"must not be more than {horizon_days} day(s) ahead"
    return None


def is_minor(birth_date: date | None, today: date, minor_age: int) -> bool:
    """Under `minor_age` on `today`; unknown birth date → not a minor."""
    return birth_date is not None and age_on(birth_date, today) < minor_age


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`[{field, from, to}]` for every field whose value differs, in `after`'s order."""
    return [
        {"field": name, "from": before.get(name), "to": value}
        for name, value in after.items()
        if _comparable(before.get(name)) != _comparable(value)
    ]


def creation(after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The fields an appointment was created with (empty ones left out)."""
    return [{"field": name, "from": None, "to": value} for name, value in after.items() if _comparable(value)]


def _comparable(value: Any) -> Any:
    # An empty list, an empty string and null all mean "not filled in".
    return None if value in (None, "", []) else value
