"""Due-time rules in the clinic time zone (pure functions)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.planning import rules

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


def test_one_day_before_at_ten_is_ten_local_on_the_previous_day() -> None:
    start = datetime(2027, 3, 16, 12, 0, tzinfo=MOSCOW)
    assert rules.days_before_due(start, 1, time(10, 0), MOSCOW) == datetime(2027, 3, 15, 7, 0, tzinfo=UTC)


def test_days_before_counts_local_calendar_days_across_midnight_utc() -> None:
    # 01:30 Moscow on 16 March is still 15 March in UTC: "1 day before" is 15 March local.
    start = datetime(2027, 3, 16, 1, 30, tzinfo=MOSCOW)
    assert rules.days_before_due(start, 1, time(10, 0), MOSCOW) == datetime(2027, 3, 15, 10, 0, tzinfo=MOSCOW)


def test_a_reminder_minutes_before_may_fall_on_the_previous_day() -> None:
    start = datetime(2027, 3, 16, 0, 30, tzinfo=MOSCOW)
    due = rules.minutes_before_due(start, 60)
    assert due.astimezone(MOSCOW) == datetime(2027, 3, 15, 23, 30, tzinfo=MOSCOW)


def test_day_before_keeps_the_local_send_time_across_a_dst_change_in_berlin() -> None:
    # Clocks go forward on 28 March 2027 in Berlin: the appointment is in summer time, the
    # reminder the day before in winter time; both are 10:00 on the wall clock.
    start = datetime(2027, 3, 29, 9, 0, tzinfo=BERLIN)
    due = rules.days_before_due(start, 1, time(10, 0), BERLIN)
    assert due == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert rules.days_before_due(start, 2, time(10, 0), BERLIN) == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # CET


def test_minutes_before_counts_real_minutes_across_a_dst_change() -> None:
    start = datetime(2027, 3, 28, 4, 0, tzinfo=BERLIN)  # 02:00 UTC
    assert rules.minutes_before_due(start, 180) == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)


def test_a_send_time_in_the_skipped_hour_goes_out_an_hour_later_on_the_wall_clock() -> None:
    due = rules.local_at(date(2027, 3, 28), time(2, 30), BERLIN)
    assert due.astimezone(BERLIN).strftime("%H:%M") == "03:30"


def test_days_after_counts_from_the_local_date() -> None:
    visit = datetime(2027, 3, 1, 23, 30, tzinfo=MOSCOW)
    assert rules.days_after_due(visit, 14, time(13, 0), MOSCOW) == datetime(2027, 3, 15, 13, 0, tzinfo=MOSCOW)


def test_29_february_birthday_is_celebrated_on_28_february_in_a_common_year() -> None:
    assert rules.birthday_in_year(date(2000, 2, 29), 2027) == date(2027, 2, 28)


def test_29_february_birthday_stays_on_29_february_in_a_leap_year() -> None:
    assert rules.birthday_in_year(date(2000, 2, 29), 2028) == date(2028, 2, 29)


def test_28_february_of_a_common_year_celebrates_both_birth_days() -> None:
    assert rules.birth_month_days_celebrated_on(date(2027, 2, 28)) == {"02-28", "02-29"}
    assert rules.birth_month_days_celebrated_on(date(2028, 2, 28)) == {"02-28"}


def test_birthday_due_is_days_before_at_the_send_time() -> None:
    due = rules.birthday_due(date(2027, 3, 1), 3, time(12, 0), MOSCOW)
    assert due == datetime(2027, 2, 26, 12, 0, tzinfo=MOSCOW)


def test_sending_days_cover_every_local_date_of_the_window() -> None:
    start = datetime(2027, 3, 14, 20, 0, tzinfo=UTC)  # 23:00 Moscow
    assert rules.sending_days(start, start + timedelta(hours=2), MOSCOW) == [date(2027, 3, 14), date(2027, 3, 15)]


@pytest.mark.parametrize("attempt", [1, 2, 3, 6])
def test_retry_delay_doubles_with_jitter_within_half_and_one_and_a_half(attempt: int) -> None:
    base = 30 * 2 ** (attempt - 1)
    delays = [
        rules.retry_delay(attempt, base_seconds=30, max_seconds=10_000, rng=random.Random(seed)) for seed in range(50)
    ]
    assert all(timedelta(seconds=base * 0.5) <= d <= timedelta(seconds=base * 1.5) for d in delays)
    assert len(set(delays)) > 1


def test_retry_delay_is_capped() -> None:
    delay = rules.retry_delay(30, base_seconds=30, max_seconds=600, rng=random.Random(1))
    assert delay <= timedelta(seconds=900)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(1900, 2200))
def test_the_birthday_is_always_in_the_birth_month(birth: date, year: int) -> None:
    celebrated = rules.birthday_in_year(birth, year)
    assert (celebrated.year, celebrated.month) == (year, birth.month)
    assert celebrated.strftime("%m-%d") in rules.birth_month_days_celebrated_on(celebrated) or birth.day == 29


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(BERLIN)),
    st.integers(0, 30),
)
def test_days_before_due_is_at_the_send_time_on_the_wall_clock(start: datetime, days: int) -> None:
    due = rules.days_before_due(start, days, time(10, 0), BERLIN).astimezone(BERLIN)
    assert due.date() == start.astimezone(BERLIN).date() - timedelta(days=days)
    assert due.strftime("%H:%M") == "10:00"
