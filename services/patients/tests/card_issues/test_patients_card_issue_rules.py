"""Rules of cards out of the archive (PAT-9): due dates, overdue, the issued-between filter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic_shared.errors import ValidationFailed
from patients.card_issues.rules import (
    MAX_OUT_DAYS,
    day_start_utc,
    default_due_back,
    due_back_problem,
    is_overdue,
    issued_between,
)

TODAY = date(2026, 3, 10)


def test_the_default_due_day_is_the_period_after_the_day_of_issue() -> None:
    assert default_due_back(TODAY, 7) == date(2026, 3, 17)
    assert default_due_back(date(2026, 12, 28), 7) == date(2027, 1, 4)


@pytest.mark.parametrize("due_back", [TODAY, date(2026, 3, 11), date(2027, 3, 10)])
def test_a_due_day_from_today_to_a_year_ahead_is_right(due_back: date) -> None:
    assert due_back_problem(due_back, TODAY) is None


def test_a_due_day_before_the_day_of_issue_is_refused() -> None:
    assert due_back_problem(date(2026, 3, 9), TODAY) == "must not be before the day of issue (2026-03-10)"


def test_a_due_day_more_than_a_year_ahead_is_refused() -> None:
    assert due_back_problem(date(2027, 3, 11), TODAY) == f"must be at most {MAX_OUT_DAYS} days after the day of issue"


@pytest.mark.parametrize(
    ("due_back", "returned_at", "overdue"),
    [
        (date(2026, 3, 9), None, True),
        (TODAY, None, False),
        (date(2026, 3, 11), None, False),
        (date(2026, 3, 1), datetime(2026, 3, 5, tzinfo=UTC), False),
    ],
)
def test_overdue_means_out_after_the_due_day(due_back: date, returned_at: datetime | None, overdue: bool) -> None:
    assert is_overdue(due_back, returned_at, TODAY) is overdue


def test_a_clinic_day_starts_at_its_midnight_in_utc() -> None:
    assert day_start_utc(TODAY, "Europe/Moscow") == datetime(2026, 3, 9, 21, tzinfo=UTC)


def test_the_first_day_of_the_calendar_east_of_utc_has_no_bound() -> None:
    assert day_start_utc(date.min, "Europe/Moscow") is None


def test_issued_between_covers_both_days_whole() -> None:
    since, until = issued_between(date(2026, 3, 1), date(2026, 3, 2), "Europe/Moscow")
    assert (since, until) == (datetime(2026, 2, 28, 21, tzinfo=UTC), datetime(2026, 3, 2, 21, tzinfo=UTC))


def test_issued_between_with_open_ends() -> None:
    assert issued_between(None, None, "UTC") == (None, None)
    assert issued_between(date.min, date.max, "Europe/Moscow") == (None, None)


def test_issued_to_before_issued_from_is_refused_naming_issued_to() -> None:
    with pytest.raises(ValidationFailed) as caught:
        issued_between(date(2026, 3, 2), date(2026, 3, 1), "UTC")
    assert caught.value.errors == [
        {"field": "issued_to", "code": "before_issued_from", "message": "must not be before issued_from"}
    ]
