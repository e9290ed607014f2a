"""Rules of a working day as plain functions: wall-clock ranges, their checks, UTC instants,
and where an appointment may sit inside a day (SCH-2, SCH-4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo

from scheduling.localtime import MINUTES_PER_DAY, NonexistentLocalTime, clock_minutes, format_clock, local_to_utc

FieldError = dict[str, str]
Window = tuple[datetime, datetime]
Placement = Literal["outside_working_hours", "in_break"]


@dataclass(frozen=True, order=True)
class ClockRange:
    """[start, end) in minutes after local midnight; end may be 1440 (24:00)."""

    start: int
    end: int

    def as_json(self) -> dict[str, str]:
        """{"start": "09:00", "end": "18:00"} as stored and shown."""
        return {"start": format_clock(self.start), "end": format_clock(self.end)}


def parse_ranges(raw: Sequence[Mapping[str, str]], field: str) -> tuple[list[ClockRange], list[FieldError]]:
    """Typed ranges → ClockRanges, with an error per bad field ('intervals.1.end')."""
    ranges: list[ClockRange] = []
    errors: list[FieldError] = []
    for index, item in enumerate(raw):
        start = _minutes(item.get("start"), f"{field}.{index}.start", errors)
        end = _minutes(item.get("end"), f"{field}.{index}.end", errors)
        if start is None or end is None:
            continue
        if start >= MINUTES_PER_DAY:
            errors.append({"field": f"{field}.{index}.start", "message": "must be before 24:00"})
        elif end <= start:
            errors.append({"field": f"{field}.{index}.end", "message": "must be after start"})
        else:
            ranges.append(ClockRange(start, end))
    return ranges, errors


def day_errors(intervals: Sequence[ClockRange], breaks: Sequence[ClockRange]) -> list[FieldError]:
    """What is wrong with a day: no interval, overlapping intervals or breaks, a break outside work."""
    errors: list[FieldError] = []
    if not intervals:
        errors.append({"field": "intervals", "message": "at least one working interval is required"})
    errors += _overlaps(intervals, "intervals")
    errors += _overlaps(breaks, "breaks")
    for index, pause in enumerate(breaks):
        if not any(i.start <= pause.start and pause.end <= i.end for i in intervals):
            errors.append({"field": f"breaks.{index}", "message": "must lie inside one working interval"})
    return errors


def to_windows(
    day: date, ranges: Sequence[ClockRange], tz: ZoneInfo, field: str = "intervals", *, strict: bool = True
) -> list[Window]:
    """The UTC instants of each range on `day`. NonexistentLocalTime names the bad field."""
    windows = []
    for index, clock_range in enumerate(ranges):
        try:
            start = local_to_utc(day, clock_range.start, tz, strict=strict)
        except NonexistentLocalTime as exc:
            raise NonexistentLocalTime(f"{field}.{index}.start") from exc
        try:
            end = local_to_utc(day, clock_range.end, tz, strict=strict)
        except NonexistentLocalTime as exc:
            raise NonexistentLocalTime(f"{field}.{index}.end") from exc
        windows.append((start, end))
    return windows


def stored_ranges(raw: Sequence[Mapping[str, str]]) -> list[ClockRange]:
    """Ranges as saved in a schedule (already checked when saved)."""
    return [ClockRange(clock_minutes(r["start"]), clock_minutes(r["end"])) for r in raw]


def placement_problem(
    start: datetime, end: datetime, windows: Sequence[Window], breaks: Sequence[Window]
) -> Placement | None:
    """Why [start, end) cannot sit in this working day, or None when it can.

    It must lie inside one working interval and touch no break (half-open: an appointment
    may end exactly when a break starts).
    """
    if not any(w_start <= start and end <= w_end for w_start, w_end in windows):
        if any(b_start < end and start < b_end for b_start, b_end in breaks):
            return "in_break"
        return "outside_working_hours"
    if any(b_start < end and start < b_end for b_start, b_end in breaks):
        return "in_break"
    return None


def cabinet_placement_problem(
    start: datetime, end: datetime, day: tuple[Sequence[Window], Sequence[Window]] | None
) -> Placement | None:
    """Why [start, end) cannot be held in a cabinet whose day is `day` (windows, breaks), or None.

    A cabinet without a schedule that day (`day` is None) restricts nothing: cabinet schedules
    are optional, kept only for the cabinets a clinic plans (the source system's booking screen
    is driven by the doctors' schedules, cabinets' are an extra view). A cabinet that has one
    holds appointments only inside its working time and outside its breaks, like a doctor.
    """
    if day is None:
        return None
    return placement_problem(start, end, *day)


def bulk_dates(first: date, last: date, weekdays: set[int]) -> list[date]:
    """The dates from `first` to `last` whose weekday (0 = Monday) is in `weekdays`."""
    days = (last - first).days
    return [d for d in (first.fromordinal(first.toordinal() + n) for n in range(days + 1)) if d.weekday() in weekdays]


def _minutes(value: str | None, field: str, errors: list[FieldError]) -> int | None:
    try:
        return clock_minutes(value or "")
    except ValueError as exc:
        errors.append({"field": field, "message": str(exc)})
        return None


def _overlaps(ranges: Sequence[ClockRange], field: str) -> list[FieldError]:
    order = sorted(range(len(ranges)), key=lambda i: ranges[i])
    errors = []
    for previous, current in pairwise(order):
        if ranges[current].start < ranges[previous].end:
            errors.append({"field": f"{field}.{current}", "message": f"overlaps {field}.{previous}"})
    return errors
