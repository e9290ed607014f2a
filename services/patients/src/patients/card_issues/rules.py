"""Rules of cards out of the archive (PAT-9) as plain functions: due dates, overdue, date filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic_shared.errors import ValidationFailed

# The source names no period; the clinic sets it in the card settings (`card_out_days`).
DEFAULT_OUT_DAYS = 7
MAX_OUT_DAYS = 365


def default_due_back(issued_on: date, out_days: int) -> date:
    """The day a card issued on `issued_on` is due back when the caller names none."""
    return issued_on + timedelta(days=out_days)


def due_back_problem(due_back: date, issued_on: date) -> str | None:
    """Why a due date cannot be right for a card issued on `issued_on` (the clinic's today), or None."""
    if due_back < issued_on:
        return f"must not be before the day of issue ({issued_on.isoformat()})"
    if due_back > issued_on + timedelta(days=MAX_OUT_DAYS):
        return f"must be at most {MAX_OUT_DAYS} days after the day of issue"
    return None


def is_overdue(due_back: date, returned_at: datetime | None, today: date) -> bool:
    """Out past its due day: not returned and the due day has passed in the clinic's calendar."""
    return returned_at is None and due_back < today


def day_start_utc(day: date, timezone: str) -> datetime | None:
    """The instant a day of the clinic's calendar starts, in UTC; None past the calendar's ends."""
    try:
        return datetime.combine(day, time(), ZoneInfo(timezone)).astimezone(UTC)
    except OverflowError:
        return None


def issued_between(
    issued_from: date | None, issued_to: date | None, timezone: str
) -> tuple[datetime | None, datetime | None]:
    """`[since, until)` in UTC for cards issued from `issued_from` to `issued_to` (both days included).

    ValidationFailed on `issued_to` when it is before `issued_from`.
    """
    if issued_from is not None and issued_to is not None and issued_to < issued_from:
        raise ValidationFailed.field("issued_to", "must not be before issued_from", "before_issued_from")
    since = day_start_utc(issued_from, timezone) if issued_from is not None else None
    until = None
    if issued_to is not None and issued_to < date.max:
        until = day_start_utc(issued_to + timedelta(days=1), timezone)
    return since, until
