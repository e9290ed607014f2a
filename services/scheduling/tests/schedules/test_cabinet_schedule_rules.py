"""Cabinet schedules as plain rules (SCH-2, SCH-5): where an appointment may sit in a cabinet's day,
and the hours a doctor's cabinets are closed (what the free-time search blocks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.schedules.rules import cabinet_placement_problem
from scheduling.slots import Interval, free_intervals, uncovered

DAY = datetime(2030, 3, 4, tzinfo=UTC)


def t(clock: str) -> datetime:
    """An instant of DAY from "HH:MM" (24:00 is the next midnight)."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return DAY + timedelta(hours=hours, minutes=minutes)


def span(start: str, end: str) -> tuple[datetime, datetime]:
    return t(start), t(end)


# A cabinet open 09:00–13:00 and 14:00–18:00, with a break 11:00–11:30.
CABINET_DAY = ([span("09:00", "13:00"), span("14:00", "18:00")], [span("11:00", "11:30")])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("09:00", "09:30", None),
        ("10:30", "11:00", None),  # ends exactly when the break starts
        ("11:30", "12:00", None),  # starts exactly when the break ends
        ("12:30", "13:00", None),  # ends exactly at closing
        ("14:00", "18:00", None),  # the whole afternoon
        ("08:30", "09:00", "outside_working_hours"),  # before opening, touching it
        ("08:45", "09:15", "outside_working_hours"),  # across opening
        ("12:45", "13:15", "outside_working_hours"),  # across the lunch closure
        ("13:00", "14:00", "outside_working_hours"),  # inside the closure
        ("17:45", "18:15", "outside_working_hours"),  # across closing
        ("18:00", "18:30", "outside_working_hours"),  # after closing
        ("12:30", "14:30", "outside_working_hours"),  # spans two working intervals
        ("10:45", "11:15", "in_break"),  # into the break
        ("11:15", "11:45", "in_break"),  # out of the break
        ("11:00", "11:30", "in_break"),  # exactly the break
        ("10:00", "12:00", "in_break"),  # around the break
    ],
)
def test_a_cabinet_with_a_schedule_holds_appointments_only_in_its_working_time_outside_breaks(
    start: str, end: str, expected: str | None
) -> None:
    assert cabinet_placement_problem(t(start), t(end), CABINET_DAY) == expected


def test_an_appointment_across_closing_and_a_break_is_reported_in_the_break() -> None:
    day = ([span("09:00", "12:00")], [span("11:30", "12:00")])
    assert cabinet_placement_problem(t("11:45"), t("12:15"), day) == "in_break"


@pytest.mark.parametrize(("start", "end"), [("00:00", "00:30"), ("09:00", "18:00"), ("23:30", "24:00")])
def test_a_cabinet_without_a_schedule_that_day_restricts_nothing(start: str, end: str) -> None:
    assert cabinet_placement_problem(t(start), t(end), None) is None


def test_a_cabinet_closed_all_day_by_a_break_over_its_only_interval_holds_nothing() -> None:
    day = ([span("09:00", "18:00")], [span("09:00", "18:00")])
    assert cabinet_placement_problem(t("10:00"), t("10:30"), day) == "in_break"


def test_the_uncovered_hours_of_a_day_are_before_between_and_after_the_open_ones() -> None:
    closed = uncovered(span("00:00", "24:00"), [span("14:00", "18:00"), span("09:00", "13:00")])
    assert closed == [
        Interval(*span("00:00", "09:00")),
        Interval(*span("13:00", "14:00")),
        Interval(*span("18:00", "24:00")),
    ]


def test_open_hours_of_two_cabinets_are_joined_before_the_closed_ones_are_taken() -> None:
    morning, afternoon = span("09:00", "13:00"), span("12:00", "18:00")
    assert uncovered(span("00:00", "24:00"), [morning, afternoon]) == [
        Interval(*span("00:00", "09:00")),
        Interval(*span("18:00", "24:00")),
    ]


def test_nothing_is_uncovered_when_the_open_hours_cover_the_whole_day() -> None:
    assert uncovered(span("00:00", "24:00"), [span("00:00", "12:00"), span("12:00", "24:00")]) == []


def test_everything_is_uncovered_when_nothing_is_open() -> None:
    assert uncovered(span("00:00", "24:00"), []) == [Interval(*span("00:00", "24:00"))]


def test_open_hours_reaching_past_the_bounds_are_cut_to_them() -> None:
    assert uncovered(span("08:00", "20:00"), [span("00:00", "09:00"), span("19:00", "24:00")]) == [
        Interval(*span("09:00", "19:00"))
    ]


def test_a_cabinets_break_is_closed_time() -> None:
    opened = free_intervals(*CABINET_DAY)
    closed = uncovered(span("00:00", "24:00"), opened)
    assert Interval(*span("11:00", "11:30")) in closed


minutes = st.integers(min_value=0, max_value=24 * 60)


@st.composite
def spans(draw: st.DrawFn) -> tuple[datetime, datetime]:
    first, second = draw(minutes), draw(minutes)
    start, end = min(first, second), max(first, second)
    return DAY + timedelta(minutes=start), DAY + timedelta(minutes=end)


@given(bounds=spans(), covering=st.lists(spans(), max_size=8), probe=minutes)
def test_an_instant_of_the_bounds_is_uncovered_exactly_when_no_open_interval_holds_it(
    bounds: tuple[datetime, datetime], covering: list[tuple[datetime, datetime]], probe: int
) -> None:
    instant = DAY + timedelta(minutes=probe)
    closed = uncovered(bounds, covering)
    in_closed = any(s <= instant < e for s, e in closed)
    in_bounds = bounds[0] <= instant < bounds[1]
    in_open = any(s <= instant < e for s, e in covering)
    assert in_closed == (in_bounds and not in_open)
    assert all(s < e for s, e in closed)
    assert all(a[1] < b[0] for a, b in pairwise(closed))
