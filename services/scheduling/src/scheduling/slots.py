"""Free-time search (SCH-12): free slots computed on demand from schedules, breaks and appointments.

Pure functions, no I/O. Every interval is half-open, ``[start, end)``, in aware UTC datetimes:
an appointment ending at 10:00 and one starting at 10:00 do not overlap.

The caller converts each doctor's local working hours of a date into UTC (the clinic time
zone, zoneinfo), so a daylight-saving day simply yields a shorter or longer UTC interval;
nothing here knows about calendars or time zones. The caller also decides what is busy: the
doctor's active appointments, plus those of the cabinet when the doctor works in one.

The grid is anchored at the start of each (merged) working interval, as on the booking
screen, whose rows start when the doctor's day starts; an appointment that ends off the grid
pushes the next free slot to the next grid point.

Complexity: each doctor is ``O(n log n)`` in their own intervals (sort, then one sweep), and
doctors are merged lazily with a heap, so asking for the nearest ``limit`` slots stops early.
Counting the slots never materialises them: each free gap holds an arithmetic number of grid
points, so a total over a month of many doctors costs one sweep of their intervals.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

__all__ = [
    "DoctorAvailability",
    "FreeSlot",
    "Interval",
    "Span",
    "build_availability",
    "count_free_slots",
    "doctor_free_slots",
    "find_free_slots",
    "free_intervals",
    "iter_free_slots",
    "normalize",
    "search_free_slots",
    "uncovered",
]


class _Bounds(NamedTuple):
    start: datetime
    end: datetime


class Interval(_Bounds):
    """A half-open time range ``[start, end)`` with aware datetimes.

    A named tuple, so the thousands of them a month of appointments makes are cheap to build
    and sort (tuple comparison runs in C; a dataclass's ``__lt__`` runs in Python). The engine
    accepts any ``(start, end)`` pair of aware datetimes where it takes an Interval.
    """

    __slots__ = ()

    def __new__(cls, start: datetime, end: datetime) -> Interval:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("interval bounds must be timezone-aware")
        if end < start:
            raise ValueError("interval end is before its start")
        return super().__new__(cls, start, end)

    @property
    def is_empty(self) -> bool:
        """True when the interval contains no instant."""
        return self.start == self.end

    def overlaps(self, other: Span) -> bool:
        """True when the two half-open intervals share at least one instant."""
        return self.start < other[1] and other[0] < self.end

    def contains(self, other: Span) -> bool:
        """True when ``other`` lies wholly inside this interval."""
        return self.start <= other[0] and other[1] <= self.end


# What the engine takes: an Interval or any (start, end) pair of aware datetimes (the
# service passes the pairs it read from the database without wrapping each one).
Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class DoctorAvailability:
    """One doctor's working intervals, breaks and busy intervals (active appointments) in UTC."""

    doctor_id: Hashable
    working: Sequence[Span]
    breaks: Sequence[Span] = ()
    busy: Sequence[Span] = ()


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A bookable slot of one doctor."""

    doctor_id: Any
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class _Search:
    lower: datetime  # the earliest allowed start: max(window start, now)
    upper: datetime  # the latest allowed end: the window's end
    duration: timedelta
    grid_step: timedelta
    impossible: bool  # the window is too short for one slot


def _merged(intervals: Iterable[Span]) -> list[Span]:
    """Sorted, non-empty, disjoint ``(start, end)`` pairs: overlapping or touching ones merged.

    A pair that merges with nothing is kept as the very object given (no copy per interval).
    """
    merged: list[Span] = []
    last_end: datetime | None = None
    for pair in sorted(intervals):
        start, end = pair
        if start >= end:
            continue
        if last_end is not None and start <= last_end:
            if end > last_end:
                merged[-1] = (merged[-1][0], end)
                last_end = end
        else:
            merged.append(pair)
            last_end = end
    return merged


def normalize(intervals: Iterable[Span]) -> list[Interval]:
    """Sort intervals, drop empty ones and merge those that overlap or touch."""
    return [Interval(start, end) for start, end in _merged(intervals)]


def _gaps(working: list[Span], blocked: list[Span]) -> Iterator[tuple[datetime, datetime, datetime]]:
    """Yield ``(grid_origin, start, end)`` for each free part of merged working time.

    Both lists are merged (sorted, disjoint), so one sweep with two cursors suffices.
    """
    j, count = 0, len(blocked)
    for shift_start, shift_end in working:
        cursor = shift_start
        while j < count and blocked[j][1] <= cursor:
            j += 1
        k = j
        while k < count:
            block_start, block_end = blocked[k]
            if block_start >= shift_end:
                break
            if block_start > cursor:
                yield shift_start, cursor, block_start
            if block_end > cursor:
                cursor = block_end
            k += 1
        if cursor < shift_end:
            yield shift_start, cursor, shift_end
        # The last blocked interval may reach into the next shift; the earlier ones cannot.
        j = max(j, k - 1)


def free_intervals(working: Iterable[Span], breaks: Iterable[Span] = (), busy: Iterable[Span] = ()) -> list[Interval]:
    """Working time minus breaks and busy intervals, as sorted disjoint intervals."""
    blocked = _merged(itertools.chain(breaks, busy))
    return [Interval(start, end) for _, start, end in _gaps(_merged(working), blocked)]


def uncovered(bounds: Span, covering: Iterable[Span]) -> list[Interval]:
    """The parts of ``bounds`` that no interval of ``covering`` covers, sorted and disjoint.

    E.g. the hours of a day when none of a doctor's cabinets is open: they become busy time.
    """
    return [Interval(start, end) for _, start, end in _gaps([bounds], _merged(covering))]


def _first_grid_point(origin: datetime, earliest: datetime, step: timedelta) -> datetime:
    if earliest <= origin:
        return origin
    steps, remainder = divmod(earliest - origin, step)
    return origin + (steps + (1 if remainder else 0)) * step


def _runs_of(working: list[Span], blocked: list[Span], search: _Search) -> Iterator[tuple[datetime, datetime]]:
    """Yield ``(first_start, last_end)`` per free gap: slots start at ``first_start`` and every
    grid step after it while they end by ``last_end``. Both lists are merged."""
    if search.impossible:
        return
    for origin, gap_start, gap_end in _gaps(working, blocked):
        if gap_end <= search.lower:
            continue
        if gap_start >= search.upper:
            return
        yield (
            _first_grid_point(origin, max(gap_start, search.lower), search.grid_step),
            min(gap_end, search.upper),
        )


def _slots_in(runs: Iterable[tuple[datetime, datetime]], search: _Search) -> Iterator[tuple[datetime, datetime]]:
    duration, step = search.duration, search.grid_step
    for start, last_end in runs:
        while start + duration <= last_end:
            yield start, start + duration
            start += step


def _count_free(working: list[Span], blocked: list[Span], search: _Search) -> int:
    """How many slots `_slots_in(_runs_of(working, blocked, search), search)` would yield, by
    arithmetic per free gap (no slot is built), straight over `_gaps`: the free-time search
    counts every doctor-day of its period (3,000 for 100 doctors × 30 days), and the two more
    generators in between were most of that cost. Both lists are merged; the property tests
    hold it equal to the enumeration."""
    if search.impossible:
        return 0
    lower, upper, duration, step = search.lower, search.upper, search.duration, search.grid_step
    zero = timedelta(0)
    total = 0
    for origin, gap_start, gap_end in _gaps(working, blocked):  # as `_runs_of`, then `_slots_in`
        if gap_end <= lower:
            continue
        if gap_start >= upper:
            break
        first = _first_grid_point(origin, gap_start if gap_start > lower else lower, step)
        room = (gap_end if gap_end < upper else upper) - duration - first
        if room >= zero:
            total += room // step + 1
    return total


def _normalised(doctor: DoctorAvailability) -> tuple[list[Span], list[Span]]:
    return _merged(doctor.working), _merged(itertools.chain(doctor.breaks, doctor.busy))


def _slots_of(doctor: DoctorAvailability, search: _Search) -> Iterator[tuple[datetime, datetime]]:
    if search.impossible:
        return
    working, blocked = _normalised(doctor)
    yield from _slots_in(_runs_of(working, blocked, search), search)


def _search(
    *, window_start: datetime, window_end: datetime, duration: timedelta, grid_step: timedelta, now: datetime | None
) -> _Search:
    for name, value in (("window_start", window_start), ("window_end", window_end), ("now", now)):
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    if grid_step <= timedelta(0):
        raise ValueError("grid_step must be positive")
    lower = window_start if now is None else max(window_start, now)
    return _Search(lower, window_end, duration, grid_step, impossible=lower + duration > window_end)


def doctor_free_slots(
    doctor: DoctorAvailability,
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    grid_step: timedelta,
    now: datetime | None = None,
) -> Iterator[FreeSlot]:
    """Lazily yield one doctor's free slots of ``duration`` on the grid, in time order."""
    search = _search(window_start=window_start, window_end=window_end, duration=duration, grid_step=grid_step, now=now)
    for start, end in _slots_of(doctor, search):
        yield FreeSlot(doctor.doctor_id, start, end)


def iter_free_slots(
    doctors: Iterable[DoctorAvailability],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    grid_step: timedelta,
    now: datetime | None = None,
) -> Iterator[FreeSlot]:
    """Lazily yield the free slots of many doctors, nearest first; ties keep the doctors' order."""
    search = _search(window_start=window_start, window_end=window_end, duration=duration, grid_step=grid_step, now=now)
    # (start, rank) orders ties by the caller's doctor order (e.g. sorted by name), which is
    # what a receptionist expects, and keeps doctor ids out of the comparison.
    roster = list(doctors)
    streams = [_ranked(rank, _slots_of(doctor, search)) for rank, doctor in enumerate(roster)]
    for start, rank, end in heapq.merge(*streams):
        yield FreeSlot(roster[rank].doctor_id, start, end)


def count_free_slots(
    doctors: Iterable[DoctorAvailability],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    grid_step: timedelta,
    now: datetime | None = None,
) -> int:
    """How many free slots `iter_free_slots` would yield, counted without building them."""
    search = _search(window_start=window_start, window_end=window_end, duration=duration, grid_step=grid_step, now=now)
    if search.impossible:
        return 0
    return sum(_count_free(*_normalised(doctor), search) for doctor in doctors)


def search_free_slots(
    doctors: Iterable[DoctorAvailability],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    grid_step: timedelta,
    now: datetime | None = None,
    limit: int,
) -> tuple[list[FreeSlot], int]:
    """The nearest ``limit`` free slots (as `find_free_slots`) and the total (as `count_free_slots`).

    Each doctor's intervals are normalised once; their free gaps are counted by arithmetic,
    and only the page is built from them, merged lazily nearest first.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    search = _search(window_start=window_start, window_end=window_end, duration=duration, grid_step=grid_step, now=now)
    if search.impossible:
        return [], 0
    roster = list(doctors)
    normalised = [_normalised(doctor) for doctor in roster]
    # Counting streams through the gaps; the page walks them again lazily, only as far as it
    # needs (a few gaps of the nearest doctors). Nothing per gap is kept alive in between.
    total = sum(_count_free(working, blocked, search) for working, blocked in normalised)
    streams = [
        _ranked(rank, _slots_in(_runs_of(working, blocked, search), search))
        for rank, (working, blocked) in enumerate(normalised)
    ]
    page = [
        FreeSlot(roster[rank].doctor_id, start, end)
        for start, rank, end in itertools.islice(heapq.merge(*streams), limit)
    ]
    return page, total


def _ranked(rank: int, slots: Iterator[tuple[datetime, datetime]]) -> Iterator[tuple[datetime, int, datetime]]:
    for start, end in slots:
        yield start, rank, end


def find_free_slots(
    doctors: Iterable[DoctorAvailability],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    grid_step: timedelta,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[FreeSlot]:
    """The nearest free slots of many doctors (all of them when ``limit`` is None)."""
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    slots = iter_free_slots(
        doctors, window_start=window_start, window_end=window_end, duration=duration, grid_step=grid_step, now=now
    )
    return list(itertools.islice(slots, limit))


def build_availability(
    working: Iterable[tuple[Hashable, Span]],
    breaks: Iterable[tuple[Hashable, Span]] = (),
    busy: Iterable[tuple[Hashable, Span]] = (),
) -> list[DoctorAvailability]:
    """Group flat ``(doctor_id, interval)`` rows into one availability per doctor.

    Doctors keep the order in which they first appear in ``working``; breaks and busy
    intervals of doctors without working time are ignored (they cannot have free slots).
    """
    by_doctor: dict[Hashable, tuple[list[Span], list[Span], list[Span]]] = {}
    for doctor_id, interval in working:
        by_doctor.setdefault(doctor_id, ([], [], []))[0].append(interval)
    for position, rows in ((1, breaks), (2, busy)):
        for doctor_id, interval in rows:
            lists = by_doctor.get(doctor_id)
            if lists is not None:
                lists[position].append(interval)
    return [DoctorAvailability(doctor_id, w, b, a) for doctor_id, (w, b, a) in by_doctor.items()]
