"""Appointment rules (pure functions): period, booking window, minors, journal diffs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_shared.errors import ValidationFailed
from scheduling.appointments.rules import booking_window_problem, creation, diff, is_minor, resolve_end

START = datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


def field_of(error: ValidationFailed) -> str:
    assert error.errors
    return error.errors[0]["field"]


def test_duration_gives_the_end() -> None:
    assert resolve_end(START, None, 45, default_minutes=15) == START + timedelta(minutes=45)


def test_neither_end_nor_duration_takes_the_grid_step() -> None:
    assert resolve_end(START, None, None, default_minutes=15) == START + timedelta(minutes=15)


@pytest.mark.parametrize("minutes", [0, -15])
def test_zero_or_negative_duration_is_refused(minutes: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve_end(START, None, minutes, default_minutes=15)
    assert field_of(caught.value) == "duration_minutes"


def test_duration_over_a_day_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve_end(START, None, 24 * 60 + 1, default_minutes=15)
    assert field_of(caught.value) == "duration_minutes"


@pytest.mark.parametrize("end", [START, START - timedelta(minutes=1)])
def test_end_not_after_start_is_refused(end: datetime) -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve_end(START, end, None, default_minutes=15)
    assert field_of(caught.value) == "end"


def test_end_and_duration_together_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        resolve_end(START, START + timedelta(hours=1), 60, default_minutes=15)


@given(st.integers(min_value=1, max_value=24 * 60))
def test_any_positive_duration_up_to_a_day_is_accepted(minutes: int) -> None:
    assert resolve_end(START, None, minutes, default_minutes=15) - START == timedelta(minutes=minutes)


TODAY = date(2026, 7, 1)


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (date(2026, 6, 30), None),
        (date(2026, 6, 29), "past"),
        (date(2027, 7, 1), None),
        (date(2027, 7, 2), "ahead"),
    ],
)
def test_booking_window_follows_the_settings(start: date, problem: str | None) -> None:
    found = booking_window_problem(start, today=TODAY, past_days=1, horizon_days=365)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_minor_is_under_the_age_of_majority() -> None:
    assert is_minor(date(2010, 1, 1), TODAY, 18)
    assert not is_minor(date(2008, 7, 1), TODAY, 18)
    assert not is_minor(None, TODAY, 18)


def test_diff_lists_changed_fields_with_from_and_to() -> None:
    before = {"note": None, "start": "10:00", "services": []}
    after = {"note": "", "start": "11:00", "services": []}
    assert diff(before, after) == [{"field": "start", "from": "10:00", "to": "11:00"}]


def test_creation_lists_only_filled_fields() -> None:
    assert creation({"note": None, "last_name": "Петров", "overbooked": False}) == [
        {"field": "last_name", "from": None, "to": "Петров"}
    ]
