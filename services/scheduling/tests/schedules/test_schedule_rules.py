"""Rules of a working day (pure functions, SCH-2) and where an appointment may sit in it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.localtime import NonexistentLocalTime
from scheduling.schedules.rules import (
    ClockRange,
    bulk_dates,
    day_errors,
    parse_ranges,
    placement_problem,
    to_windows,
)

MOSCOW = ZoneInfo("Europe/Moscow")


def ranges(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"start": s, "end": e} for s, e in pairs]


def test_well_formed_ranges_parse_without_errors() -> None:
    parsed, errors = parse_ranges(ranges(("09:00", "13:00"), ("14:00", "24:00")), "intervals")
    assert errors == []
    assert parsed == [ClockRange(540, 780), ClockRange(840, 1440)]


def test_end_before_start_names_the_end_field() -> None:
    _, errors = parse_ranges(ranges(("09:00", "18:00"), ("18:00", "17:00")), "intervals")
    assert errors == [{"field": "intervals.1.end", "message": "must be after start"}]


def test_equal_start_and_end_is_refused() -> None:
    _, errors = parse_ranges(ranges(("10:00", "10:00")), "breaks")
    assert errors[0]["field"] == "breaks.0.end"


def test_malformed_time_names_its_field() -> None:
    _, errors = parse_ranges(ranges(("9am", "18:00")), "intervals")
    assert errors == [{"field": "intervals.0.start", "message": "must be a time as HH:MM"}]


def test_start_at_midnight_end_is_refused() -> None:
    _, errors = parse_ranges(ranges(("24:00", "24:00")), "intervals")
    assert errors[0]["field"] == "intervals.0.start"


def test_a_day_needs_an_interval() -> None:
    assert day_errors([], []) == [{"field": "intervals", "message": "at least one working interval is required"}]


def test_overlapping_intervals_are_refused() -> None:
    errors = day_errors([ClockRange(540, 780), ClockRange(720, 1080)], [])
    assert errors == [{"field": "intervals.1", "message": "overlaps intervals.0"}]


def test_touching_intervals_are_fine() -> None:
    assert day_errors([ClockRange(540, 780), ClockRange(780, 1080)], []) == []


def test_break_outside_working_time_is_refused() -> None:
    errors = day_errors([ClockRange(540, 780)], [ClockRange(770, 800)])
    assert errors == [{"field": "breaks.0", "message": "must lie inside one working interval"}]


def test_overlapping_breaks_are_refused() -> None:
    errors = day_errors([ClockRange(540, 1080)], [ClockRange(780, 840), ClockRange(820, 860)])
    assert errors == [{"field": "breaks.1", "message": "overlaps breaks.0"}]


@given(st.lists(st.tuples(st.integers(0, 1439), st.integers(1, 240)), min_size=1, max_size=6))
def test_sorted_disjoint_intervals_never_report_overlaps(spans: list[tuple[int, int]]) -> None:
    intervals, cursor = [], 0
    for gap, length in spans:
        start = cursor + gap % 60
        if start + length > 1440:
            break
        intervals.append(ClockRange(start, start + length))
        cursor = start + length
    assert not [e for e in day_errors(intervals, []) if "overlaps" in e["message"]]


def test_windows_are_utc_instants_of_the_date() -> None:
    windows = to_windows(date(2026, 7, 1), [ClockRange(540, 1080)], MOSCOW)
    assert windows == [(datetime(2026, 7, 1, 6, tzinfo=UTC), datetime(2026, 7, 1, 15, tzinfo=UTC))]


def test_a_skipped_time_names_the_range_field() -> None:
    with pytest.raises(NonexistentLocalTime, match=r"intervals\.0\.start"):
        to_windows(date(2026, 3, 29), [ClockRange(150, 600)], ZoneInfo("Europe/Berlin"))


DAY = datetime(2026, 7, 1, 6, tzinfo=UTC)  # 09:00 Moscow
WORK = [(DAY, DAY + timedelta(hours=9))]
LUNCH = [(DAY + timedelta(hours=4), DAY + timedelta(hours=5))]


def slot(start_hours: float, minutes: int) -> tuple[datetime, datetime]:
    start = DAY + timedelta(hours=start_hours)
    return start, start + timedelta(minutes=minutes)


def test_slot_inside_working_time_is_fine() -> None:
    assert placement_problem(*slot(1, 30), WORK, LUNCH) is None


def test_slot_ending_when_the_break_starts_is_fine() -> None:
    assert placement_problem(*slot(3.5, 30), WORK, LUNCH) is None


def test_slot_touching_the_break_is_in_break() -> None:
    assert placement_problem(*slot(3.75, 30), WORK, LUNCH) == "in_break"


def test_slot_past_the_end_of_work_is_outside_hours() -> None:
    assert placement_problem(*slot(8.75, 30), WORK, LUNCH) == "outside_working_hours"


def test_slot_before_work_is_outside_hours() -> None:
    assert placement_problem(*slot(-1, 30), WORK, LUNCH) == "outside_working_hours"


def test_slot_spanning_two_intervals_is_outside_hours() -> None:
    split = [(DAY, DAY + timedelta(hours=4)), (DAY + timedelta(hours=4), DAY + timedelta(hours=9))]
    assert placement_problem(*slot(3.75, 30), split, []) == "outside_working_hours"


@given(st.integers(0, 9 * 60 - 1), st.integers(1, 9 * 60))
def test_any_slot_is_placed_exactly_when_inside_work_and_clear_of_the_break(offset: int, minutes: int) -> None:
    start = DAY + timedelta(minutes=offset)
    end = start + timedelta(minutes=minutes)
    inside = end <= WORK[0][1]
    clear = end <= LUNCH[0][0] or start >= LUNCH[0][1]
    assert (placement_problem(start, end, WORK, LUNCH) is None) == (inside and clear)


def test_bulk_dates_follow_the_weekday_pattern() -> None:
    # 2026-06-01 is a Monday.
    assert bulk_dates(date(2026, 6, 1), date(2026, 6, 14), {0, 2}) == [
        date(2026, 6, 1),
        date(2026, 6, 3),
        date(2026, 6, 8),
        date(2026, 6, 10),
    ]
