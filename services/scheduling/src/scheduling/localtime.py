"""Clinic wall-clock time ↔ UTC instants, with the clinic's time zone rules (DST included).

Schedules are typed as local wall-clock times ("09:00") on a local date; bookings and
storage use UTC instants. A local time that does not exist (the hour skipped when clocks go
forward) is refused; an ambiguous one (the hour repeated when clocks go back) means its first
occurrence (fold=0).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
_CLOCK = re.compile(r"^(?P<hour>[01]\d|2[0-4]):(?P<minute>[0-5]\d)$")
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped on that date (clocks go forward)."""


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo of a time zone name (cached: zones are immutable)."""
    return ZoneInfo(name)


def clock_minutes(value: str) -> int:
    """'09:30' → 570; '24:00' → 1440 (end of day). ValueError for anything else."""
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        raise ValueError("must be a time as HH:MM")
    minutes = int(match["hour"]) * 60 + int(match["minute"])
    if minutes > MINUTES_PER_DAY:
        raise ValueError("must be a time as HH:MM")
    return minutes


def format_clock(minutes: int) -> str:
    """570 → '09:30'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_to_utc(day: date, minutes: int, tz: ZoneInfo, *, strict: bool = True) -> datetime:
    """The UTC instant of wall-clock `minutes` after local midnight of `day`.

    Raises NonexistentLocalTime for a time skipped by a DST change (unless not `strict`:
    then the zone's usual reading of it); an ambiguous time is taken at its first occurrence.
    """
    if minutes == MINUTES_PER_DAY:
        day, minutes = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if strict and instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}")
    return instant


def day_start_utc(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of a local date (midnight, or the first valid time if midnight is skipped)."""
    return datetime.combine(day, time(0, 0)).replace(tzinfo=tz).astimezone(UTC)


def day_bounds_utc(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering the local dates `first` … `last` inclusive."""
    return day_start_utc(first, tz), day_start_utc(last + timedelta(days=1), tz)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The clinic's calendar date of an instant."""
    return instant.astimezone(tz).date()


def clinic_today(tz: ZoneInfo, now: datetime | None = None) -> date:
    """Today in the clinic's time zone."""
    return (now or datetime.now(UTC)).astimezone(tz).date()


def age_on(birth_date: date, today: date) -> int:
    """Full years on `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
