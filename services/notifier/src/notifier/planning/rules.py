"""When a message is due: pure functions over the clinic time zone (zoneinfo), no I/O.

Calendar rules ("1 day before at 10:00", birthdays, "created on the sending day") are taken in
the clinic's local time; results are aware UTC datetimes. A local send time that does not
exist (the hour skipped when clocks go forward) is read with the offset in force before the
change, i.e. it lands one hour later in local terms; an ambiguous one (clocks going back)
takes its first occurrence.
"""

from __future__ import annotations

import calendar
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`at` o'clock local on `day`, as UTC."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The clinic's calendar date of `moment`."""
    return moment.astimezone(tz).date()


def days_before_due(start: datetime, days: int, send_time: time, tz: ZoneInfo) -> datetime:
    """`days` calendar days before the appointment's local date, at `send_time` local."""
    return local_at(local_date(start, tz) - timedelta(days=days), send_time, tz)


def minutes_before_due(start: datetime, minutes: int) -> datetime:
    """`minutes` before the appointment starts (real elapsed minutes, DST-proof)."""
    # In UTC: arithmetic on a datetime carrying a zoneinfo is wall-clock arithmetic.
    return start.astimezone(UTC) - timedelta(minutes=minutes)


def days_after_due(moment: datetime, days: int, send_time: time, tz: ZoneInfo) -> datetime:
    """`days` calendar days after `moment`'s local date, at `send_time` local."""
    return local_at(local_date(moment, tz) + timedelta(days=days), send_time, tz)


def birthday_in_year(birth_date: date, year: int) -> date:
    """The day the birthday is celebrated in `year`.

    Someone born on 29 February is greeted on 28 February in a non-leap year: the day still
    belongs to their birth month, and a greeting on 1 March would arrive after the fact.
    """
    if birth_date.month == 2 and birth_date.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birth_date.replace(year=year)


def birth_month_days_celebrated_on(day: date) -> set[str]:
    """ "MM-DD" birth days whose birthday falls on `day` (29 Feb counts on 28 Feb of common years)."""
    days = {day.strftime("%m-%d")}
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        days.add("02-29")
    return days


def birthday_due(birthday: date, days: int, send_time: time, tz: ZoneInfo) -> datetime:
    """`days` before the birthday (0 = on the day), at `send_time` local."""
    return local_at(birthday - timedelta(days=days), send_time, tz)


def sending_days(window_start: datetime, window_end: datetime, tz: ZoneInfo) -> list[date]:
    """Every local date touched by the window, in order."""
    first, last = local_date(window_start, tz), local_date(window_end, tz)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def same_local_day(a: datetime, b: datetime, tz: ZoneInfo) -> bool:
    """Both moments fall on the same clinic calendar date."""
    return local_date(a, tz) == local_date(b, tz)


def retry_delay(
    attempt: int, *, base_seconds: float, max_seconds: float, rng: random.Random | None = None
) -> timedelta:
    """Delay before the next try after `attempt` failed tries: exponential, capped, with ±50 % jitter."""
    rng = rng or random.Random()
    exponential = min(max_seconds, base_seconds * 2 ** max(0, attempt - 1))
    return timedelta(seconds=exponential * (0.5 + rng.random()))


def occasion_at(moment: datetime) -> str:
    """A moment as it appears in an occasion key (UTC, seconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
