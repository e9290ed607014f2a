"""Clinic wall-clock time ↔ UTC (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.localtime import (
    NonexistentLocalTime,
    age_on,
    clinic_today,
    clock_minutes,
    day_bounds_utc,
    format_clock,
    local_date,
    local_to_utc,
)

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("text", "minutes"), [("00:00", 0), ("09:30", 570), ("23:59", 1439), ("24:00", 1440)])
def test_clock_text_becomes_minutes_after_midnight(text: str, minutes: int) -> None:
    assert clock_minutes(text) == minutes


@pytest.mark.parametrize("text", ["9:30", "24:01", "25:00", "12:60", "noon", "", "12-30", "1230"])
def test_malformed_clock_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        clock_minutes(text)


@given(st.integers(min_value=0, max_value=1440))
def test_formatting_and_parsing_a_clock_round_trip(minutes: int) -> None:
    assert clock_minutes(format_clock(minutes)) == minutes


def test_moscow_wall_clock_is_three_hours_ahead_of_utc() -> None:
    assert local_to_utc(date(2026, 7, 1), 9 * 60, MOSCOW) == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)


def test_end_of_day_is_next_local_midnight() -> None:
    assert local_to_utc(date(2026, 7, 1), 1440, MOSCOW) == datetime(2026, 7, 1, 21, 0, tzinfo=UTC)


def test_berlin_morning_after_spring_forward_is_on_summer_time() -> None:
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST.
    assert local_to_utc(date(2026, 3, 29), 9 * 60, BERLIN) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 28), 9 * 60, BERLIN) == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)


def test_time_skipped_by_spring_forward_does_not_exist() -> None:
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(date(2026, 3, 29), 2 * 60 + 30, BERLIN)


def test_skipped_time_is_accepted_when_not_strict() -> None:
    assert local_to_utc(date(2026, 3, 29), 2 * 60 + 30, BERLIN, strict=False).tzinfo is UTC


def test_repeated_hour_of_fall_back_means_its_first_occurrence() -> None:
    # 1 November 2026 in New York: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 (EST).
    assert local_to_utc(date(2026, 11, 1), 90, NEW_YORK) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_fall_back_day_lasts_twenty_five_hours() -> None:
    start, end = day_bounds_utc(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK)
    assert (end - start).total_seconds() == 25 * 3600


def test_local_date_of_an_instant_follows_the_clinic_zone() -> None:
    late_utc = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert local_date(late_utc, MOSCOW) == date(2026, 7, 2)


def test_today_is_the_clinic_date() -> None:
    assert clinic_today(MOSCOW, datetime(2026, 7, 1, 21, 30, tzinfo=UTC)) == date(2026, 7, 2)


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(2000, 5, 10), date(2018, 5, 9), 17),
        (date(2000, 5, 10), date(2018, 5, 10), 18),
        (date(2004, 2, 29), date(2022, 2, 28), 17),
        (date(2004, 2, 29), date(2022, 3, 1), 18),
    ],
)
def test_age_counts_full_years(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age
