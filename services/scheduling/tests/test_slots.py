"""Free-time search (SCH-12): rules of slots.py, no database."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.slots import (
    DoctorAvailability,
    FreeSlot,
    Interval,
    build_availability,
    count_free_slots,
    doctor_free_slots,
    find_free_slots,
    free_intervals,
    iter_free_slots,
    normalize,
    search_free_slots,
)

DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
MINUTE = timedelta(minutes=1)


def at(hhmm: str, day: int = 0) -> datetime:
    """A UTC instant on the test day (or ``day`` days later)."""
    hours, minutes = hhmm.split(":")
    return DAY + timedelta(days=day, hours=int(hours), minutes=int(minutes))


def span(start: str, end: str, day: int = 0) -> Interval:
    return Interval(at(start, day), at(end, day))


def doctor(working: list[Interval], breaks=(), busy=(), doctor_id: str = "ivanov") -> DoctorAvailability:
    return DoctorAvailability(doctor_id, working, breaks, busy)


def search(doctors, *, duration=30, step=30, window=None, now=None, limit=None) -> list[FreeSlot]:
    """Free slots (minutes as ints) over a week from the test day unless a window is given."""
    window_start, window_end = window or (at("00:00"), at("00:00", day=7))
    doctors = doctors if isinstance(doctors, list) else [doctors]
    steps = {"duration": duration * MINUTE, "grid_step": step * MINUTE, "now": now, "limit": limit}
    return find_free_slots(doctors, window_start=window_start, window_end=window_end, **steps)


def starts(doctors: list[DoctorAvailability] | DoctorAvailability, **options: object) -> list[str]:
    """Free slot starts as "HH:MM" (with "+Nd" for later days), the way a receptionist reads them."""
    return [_label(slot.start) for slot in search(doctors, **options)]


def _label(moment: datetime) -> str:
    days = (moment - DAY).days
    return moment.strftime("%H:%M") + (f"+{days}d" if days else "")


def spans(text: str, day: int = 0) -> list[Interval]:
    """Intervals on the test day from text such as "09:00-10:00 14:00-15:00"."""
    return [span(*part.split("-"), day=day) for part in text.split()]


def free(working: str, breaks: str = "", busy: str = "", **options: object) -> str:
    """Free starts of one doctor's day, e.g. free("09:00-11:00", breaks="10:00-10:30") → "09:00 10:30"."""
    return " ".join(starts(doctor(spans(working), spans(breaks), spans(busy)), **options))


# --- one doctor's day: grid, breaks, appointments, working intervals, window, now ----------


def test_free_working_day_is_cut_into_grid_slots():
    assert free("09:00-12:00") == "09:00 09:30 10:00 10:30 11:00 11:30"


def test_slot_may_end_exactly_when_work_ends():
    assert free("09:00-10:00", duration=60, step=60) == "09:00"


def test_slot_that_does_not_fit_before_the_end_of_work_is_not_offered():
    assert free("09:00-10:45") == "09:00 09:30 10:00"


def test_working_interval_shorter_than_the_duration_has_no_slots():
    assert free("09:00-09:20") == ""


def test_grid_is_anchored_at_the_start_of_the_working_interval():
    assert free("09:10-10:40") == "09:10 09:40 10:10"


def test_duration_longer_than_the_grid_step_gives_slots_on_every_grid_point():
    assert free("09:00-11:00", duration=60) == "09:00 09:30 10:00"


def test_duration_shorter_than_the_grid_step_starts_only_on_grid_points():
    assert free("09:00-10:00", duration=15) == "09:00 09:30"


def test_break_at_the_start_of_the_day_moves_the_first_slot_to_its_end():
    assert free("09:00-11:00", breaks="09:00-10:00") == "10:00 10:30"


def test_break_at_the_end_of_the_day_removes_the_last_slots():
    assert free("09:00-11:00", breaks="10:00-11:00") == "09:00 09:30"


def test_slots_touching_a_break_on_both_sides_are_offered():
    assert free("09:00-12:00", breaks="10:00-11:00") == "09:00 09:30 11:00 11:30"


def test_slot_overlapping_a_break_by_a_minute_is_not_offered():
    assert free("09:00-11:00", breaks="09:59-10:01") == "09:00 10:30"


def test_break_outside_working_time_changes_nothing():
    assert free("09:00-10:00", breaks="13:00-14:00") == "09:00 09:30"


def test_break_covering_the_whole_day_leaves_no_slots():
    assert free("09:00-18:00", breaks="08:00-19:00") == ""


def test_appointment_exactly_filling_a_gap_leaves_no_slot_there():
    assert free("09:00-11:00", breaks="09:00-09:30 10:00-11:00", busy="09:30-10:00") == ""


def test_appointment_ending_when_a_slot_starts_does_not_block_it():
    assert free("09:00-10:00", busy="08:30-09:00") == "09:00 09:30"


def test_appointment_starting_when_a_slot_ends_does_not_block_it():
    assert free("09:00-10:00", busy="09:30-10:30") == "09:00"


def test_off_grid_appointment_pushes_the_next_slot_to_the_next_grid_point():
    assert free("09:00-10:30", busy="09:00-09:20") == "09:30 10:00"


def test_overbooked_overlapping_appointments_block_their_union():
    assert free("09:00-11:00", busy="09:00-09:45 09:30-10:15") == "10:30"


def test_appointment_and_break_overlapping_each_other_block_their_union():
    assert free("09:00-11:00", breaks="09:30-10:00", busy="09:00-09:40") == "10:00 10:30"


def test_appointment_spanning_two_working_intervals_blocks_both():
    assert free("09:00-10:00 10:30-12:00", busy="09:30-11:00") == "09:00 11:00 11:30"


def test_overlapping_working_intervals_are_merged_so_a_slot_may_cross_them():
    assert free("09:00-10:15 10:00-11:00", duration=60) == "09:00 09:30 10:00"


def test_touching_working_intervals_form_one_continuous_period():
    assert free("09:00-09:45 09:45-10:30", duration=45, step=15) == "09:00 09:15 09:30 09:45"


def test_separate_working_intervals_keep_their_own_grids():
    assert free("09:00-10:00 14:10-15:10") == "09:00 09:30 14:10 14:40"


def test_working_intervals_given_out_of_order_give_slots_in_time_order():
    later_day = spans("11:00-12:00", day=1) + spans("09:00-10:00")
    assert starts(doctor(later_day), duration=60, step=60) == ["09:00", "11:00+1d"]


def test_slots_starting_before_now_are_not_offered():
    assert free("09:00-11:00", now=at("09:30")) == "09:30 10:00 10:30"


def test_now_between_grid_points_moves_to_the_next_grid_point():
    assert free("09:00-11:00", now=at("09:31")) == "10:00 10:30"


def test_window_start_cuts_earlier_slots():
    assert free("09:00-11:00", window=(at("09:45"), at("23:00"))) == "10:00 10:30"


def test_slot_must_end_inside_the_window():
    assert free("09:00-11:00", window=(at("00:00"), at("10:15"))) == "09:00 09:30"


def test_window_shorter_than_the_duration_has_no_slots():
    assert free("09:00-11:00", window=(at("09:00"), at("09:20"))) == ""


def test_now_after_the_window_leaves_no_slots():
    assert free("09:00-11:00", window=(at("09:00"), at("11:00")), now=at("12:00")) == ""


def test_days_outside_the_window_are_skipped():
    week = doctor([span("09:00", "10:00", day=d) for d in range(5)])
    found = starts(week, duration=60, step=60, window=(at("00:00", day=2), at("00:00", day=4)))
    assert found == ["09:00+2d", "09:00+3d"]


# --- many doctors, order and limit ----------------------------------------------------------

ONE_DAY = {"window_start": at("00:00"), "window_end": at("23:00"), "duration": 30 * MINUTE, "grid_step": 30 * MINUTE}


def test_slots_of_many_doctors_are_ordered_by_start_then_by_the_given_doctor_order():
    petrova, ivanov = doctor(spans("08:30-09:30"), doctor_id="petrova"), doctor(spans("09:00-10:00"))
    found = [(s.doctor_id, _label(s.start)) for s in search([petrova, ivanov])]
    assert found == [("petrova", "08:30"), ("petrova", "09:00"), ("ivanov", "09:00"), ("ivanov", "09:30")]


def test_limit_returns_the_nearest_slots_across_doctors():
    early, late = doctor(spans("09:00-12:00", day=3), doctor_id="early"), doctor(spans("09:00-12:00", day=1))
    assert starts([early, late], limit=3) == ["09:00+1d", "09:30+1d", "10:00+1d"]


def test_limit_zero_returns_nothing():
    assert free("09:00-12:00", limit=0) == ""


def test_negative_limit_is_refused():
    with pytest.raises(ValueError, match="limit"):
        free("09:00-12:00", limit=-1)


def test_limit_stops_the_search_early():
    # A century of one-minute slots: only a lazy search can answer this at all.
    century = (at("00:00"), at("00:00", day=36_500))
    slots = search(doctor([Interval(*century)]), duration=1, step=1, window=century, limit=3)
    assert [_label(s.start) for s in slots] == ["00:00", "00:01", "00:02"]


def test_single_doctor_search_yields_slots_lazily_with_the_doctor_id():
    doctor_id = uuid.uuid4()
    slots = doctor_free_slots(DoctorAvailability(doctor_id, spans("09:00-10:00")), **ONE_DAY)
    assert next(slots) == FreeSlot(doctor_id, at("09:00"), at("09:30"))
    assert next(slots) == FreeSlot(doctor_id, at("09:30"), at("10:00"))
    assert next(slots, None) is None


def test_doctors_may_be_given_as_a_generator():
    doctors = (doctor(spans("09:00-09:30"), doctor_id=name) for name in ("a", "b"))
    assert [s.doctor_id for s in iter_free_slots(doctors, **ONE_DAY)] == ["a", "b"]


# --- arguments, normalize, free_intervals, build_availability --------------------------------


def test_naive_window_is_refused():
    with pytest.raises(ValueError, match="window_start"):
        find_free_slots([], **{**ONE_DAY, "window_start": datetime(2026, 3, 2)})


@pytest.mark.parametrize(("duration", "step", "field"), [(0, 5, "duration"), (-5, 5, "duration"), (30, 0, "grid_step")])
def test_non_positive_duration_or_step_is_refused(duration, step, field):
    with pytest.raises(ValueError, match=field):
        free("09:00-10:00", duration=duration, step=step)


def test_interval_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before its start"):
        span("10:00", "09:00")


def test_interval_with_naive_bounds_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Interval(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10))


@pytest.mark.parametrize(
    ("given", "merged"),
    [
        ("12:00-13:00 09:00-10:00 09:30-11:00 11:00-11:30", "09:00-11:30 12:00-13:00"),  # overlapping and touching
        ("09:00-09:00 10:00-11:00", "10:00-11:00"),  # empty
        ("09:00-12:00 10:00-11:00", "09:00-12:00"),  # nested
    ],
)
def test_normalize_sorts_merges_overlapping_or_touching_and_drops_empty_intervals(given, merged):
    assert normalize(spans(given)) == spans(merged)


def test_plain_start_end_pairs_work_wherever_intervals_do():
    # The service hands the engine the (start, end) pairs it read, without wrapping each one.
    pairs = doctor([(at("09:00"), at("12:00"))], [(at("10:00"), at("10:30"))], [(at("11:00"), at("11:30"))])
    intervals = doctor(spans("09:00-12:00"), spans("10:00-10:30"), spans("11:00-11:30"))
    assert starts(pairs) == starts(intervals) == ["09:00", "09:30", "10:30", "11:30"]
    assert normalize([(at("10:00"), at("11:00")), span("09:00", "10:00")]) == spans("09:00-11:00")


def test_free_intervals_subtract_breaks_and_appointments_from_working_time():
    free_time = free_intervals(spans("09:00-13:00"), spans("11:00-11:30"), spans("09:00-09:15 12:30-14:00"))
    assert free_time == spans("09:15-11:00 11:30-12:30")


def test_build_availability_groups_rows_by_doctor_in_order_of_first_working_interval():
    grouped = build_availability(
        working=[("b", span("09:00", "10:00")), ("a", span("09:00", "10:00")), ("b", span("11:00", "12:00"))],
        breaks=[("a", span("09:30", "09:45"))],
        busy=[("b", span("09:00", "09:30")), ("ghost", span("09:00", "09:30"))],
    )
    assert grouped == [
        DoctorAvailability("b", spans("09:00-10:00 11:00-12:00"), [], spans("09:00-09:30")),
        DoctorAvailability("a", spans("09:00-10:00"), spans("09:30-09:45"), []),
    ]


# --- daylight saving: the caller converts local hours to UTC; slots then follow UTC ----------


def berlin_night_slots(day: date) -> list[str]:
    """Hourly slots of a Berlin doctor working 00:00-06:00 local time, converted by the caller."""
    berlin = ZoneInfo("Europe/Berlin")
    shift = [datetime.combine(day, time(hour), tzinfo=berlin).astimezone(UTC) for hour in (0, 6)]
    slots = search(doctor([Interval(*shift)]), duration=60, step=60, window=tuple(shift))
    return [s.start.astimezone(berlin).strftime("%H:%M") for s in slots]


def test_spring_forward_day_has_one_hourly_slot_fewer():
    assert berlin_night_slots(date(2026, 3, 29)) == ["00:00", "01:00", "03:00", "04:00", "05:00"]


def test_fall_back_day_has_one_hourly_slot_more():
    assert berlin_night_slots(date(2026, 10, 25)) == ["00:00", "01:00", "02:00", "02:00", "03:00", "04:00", "05:00"]


# --- scale ------------------------------------------------------------------------------------


def test_hundred_doctors_for_a_month_with_ten_thousand_appointments_are_all_searched():
    # How fast is make bench's business (free-slot search p95); here: the whole month is covered.
    working = [(d, span("06:00", "15:00", day)) for d in range(100) for day in range(30)]
    breaks = [(d, span("10:00", "10:30", day)) for d in range(100) for day in range(30)]
    booked = [(n % 100, at("06:00", (n // 100) % 30) + (n * 7) % 36 * 15 * MINUTE) for n in range(10_000)]
    busy = [(d, Interval(start, start + 20 * MINUTE)) for d, start in booked]
    doctors = build_availability(working, breaks, busy)
    slots = search(doctors, step=15, window=(at("00:00"), at("00:00", 30)))
    assert len(slots) > 50_000 and {s.doctor_id for s in slots} == set(range(100))
    # The API's path: the nearest page plus a total counted by arithmetic, without building the rest.
    window = {"window_start": at("00:00"), "window_end": at("00:00", 30), "duration": 30 * MINUTE}
    assert search_free_slots(doctors, **window, grid_step=15 * MINUTE, limit=50) == (slots[:50], len(slots))


# --- properties -------------------------------------------------------------------------------


def _intervals(max_count: int) -> st.SearchStrategy[list[Interval]]:
    pairs = st.tuples(st.integers(0, 2 * 24 * 60), st.integers(0, 8 * 60))
    return st.lists(pairs, max_size=max_count).map(
        lambda rows: [Interval(DAY + s * MINUTE, DAY + (s + n) * MINUTE) for s, n in rows]
    )


_doctors = st.lists(st.tuples(_intervals(4), _intervals(3), _intervals(6)), min_size=1, max_size=3).map(
    lambda rows: [DoctorAvailability(f"doctor-{i}", w, b, a) for i, (w, b, a) in enumerate(rows)]
)
_moment = st.integers(0, 3 * 24 * 60).map(lambda m: DAY + m * MINUTE)
_search = st.fixed_dictionaries(
    {
        "duration": st.sampled_from([5, 15, 20, 30, 45, 60, 90]).map(lambda m: m * MINUTE),
        "grid_step": st.sampled_from([5, 10, 15, 20, 30, 60]).map(lambda m: m * MINUTE),
        "window_start": _moment,
        "window_end": _moment,
        "now": st.none() | _moment,
    }
)


def _expected(doctors: list[DoctorAvailability], search: dict) -> set[tuple[str, datetime]]:
    """Every grid-aligned free start, found by brute force."""
    lower, duration = max(search["window_start"], search["now"] or search["window_start"]), search["duration"]
    found = set()
    for availability in doctors:
        blocked = [b for b in [*availability.breaks, *availability.busy] if not b.is_empty]
        for shift in normalize(availability.working):
            start = shift.start
            while start + duration <= shift.end:
                slot = Interval(start, start + duration)
                if start >= lower and slot.end <= search["window_end"] and not any(slot.overlaps(b) for b in blocked):
                    found.add((availability.doctor_id, start))
                start += search["grid_step"]
    return found


@settings(max_examples=300, deadline=None)
@given(doctors=_doctors, search=_search)
def test_free_slots_are_exactly_the_grid_aligned_free_starts(doctors, search):
    slots = find_free_slots(doctors, **search)
    by_id = {d.doctor_id: d for d in doctors}
    rank = {d.doctor_id: i for i, d in enumerate(doctors)}
    for slot in slots:
        availability = by_id[slot.doctor_id]
        booked = Interval(slot.start, slot.end)
        assert slot.end - slot.start == search["duration"]
        assert not any(booked.overlaps(b) for b in [*availability.breaks, *availability.busy] if not b.is_empty)
        shift = next(w for w in normalize(availability.working) if w.contains(booked))
        assert (slot.start - shift.start) % search["grid_step"] == timedelta(0)
        assert slot.start >= search["window_start"] and slot.end <= search["window_end"]
        assert search["now"] is None or slot.start >= search["now"]
    assert slots == sorted(slots, key=lambda s: (s.start, rank[s.doctor_id]))
    assert {(s.doctor_id, s.start) for s in slots} == _expected(doctors, search)


@settings(max_examples=100, deadline=None)
@given(doctors=_doctors, search=_search, limit=st.integers(0, 10))
def test_limited_search_returns_the_head_of_the_full_result(doctors, search, limit):
    assert find_free_slots(doctors, **search, limit=limit) == find_free_slots(doctors, **search)[:limit]


@settings(max_examples=300, deadline=None)
@given(doctors=_doctors, search=_search, limit=st.integers(0, 10))
def test_page_and_arithmetic_total_match_the_full_enumeration(doctors, search, limit):
    every = find_free_slots(doctors, **search)
    assert count_free_slots(doctors, **search) == len(every)
    assert search_free_slots(doctors, **search, limit=limit) == (every[:limit], len(every))


def _minutes_covered(intervals: list[Interval]) -> set[int]:
    return {m for i in intervals for m in range((i.start - DAY) // MINUTE, (i.end - DAY) // MINUTE)}


@settings(max_examples=300, deadline=None)
@given(intervals=_intervals(8))
def test_normalize_covers_exactly_the_same_time_with_sorted_separate_pieces(intervals):
    merged = normalize(intervals)
    assert _minutes_covered(merged) == _minutes_covered(intervals)
    assert all(not piece.is_empty for piece in merged)
    # Sorted, and neither overlapping nor touching: touching pieces would have been joined.
    assert all(before.end < after.start for before, after in itertools.pairwise(merged))


def test_search_refuses_a_negative_limit():
    with pytest.raises(ValueError, match="limit"):
        search_free_slots(
            [], window_start=at("00:00"), window_end=at("01:00"), duration=MINUTE, grid_step=MINUTE, limit=-1
        )
