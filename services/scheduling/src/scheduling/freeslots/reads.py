"""What the free-time search reads: the doctors' working time, breaks and busy time, in UTC.

A month of a whole specialization (100 doctors × 30 days, 10,000 appointments) must answer
in tens of milliseconds, and converting rows into Python objects is what costs, not the
queries. So the database does the reducing, with plain Core queries (no ORM objects):

- schedules come back grouped by (date, ranges): a month of 100 doctors who mostly work the
  same hours is a few dozen rows, each naming its doctors, and each distinct (date, ranges)
  is decoded from JSON and converted to UTC once;
- appointments come back merged per doctor: a stretch of back-to-back appointments is one
  row, so a booked-out day costs one row, not forty. Only the union of busy time matters to
  the search, and merging keeps it exactly. PostgreSQL merges with `range_agg` (a multirange
  per doctor, one pass, no sort: 3× faster than the window functions on 10,000
  appointments); SQLite, which has no ranges, with gaps and islands over window functions.
  On PostgreSQL the doctors are one array parameter (`= ANY`), so the statement is the same
  for any number of doctors and stays prepared, instead of a 100-item IN list bound anew.

Busy time of a doctor: their own active appointments, plus, on a date when they work in a
cabinet (one of their appointments that day names it), the other appointments in that cabinet,
since booking the doctor there would overlap those too, and the time that cabinet is closed
(outside its working time or in its break, when it has a schedule that day), since a booking
there would be refused. A doctor in several cabinets on one day is closed only when none of
them is open; a cabinet without a schedule that day is open all day (see `schedules.rules`).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Text, any_, bindparam, case, cast, func, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import GUID, on_postgres, table_of
from scheduling.appointments.models import Appointment
from scheduling.localtime import day_bounds_utc, local_date
from scheduling.schedules import rules
from scheduling.schedules.models import WorkSchedule
from scheduling.slots import Interval, Span, free_intervals, uncovered

Hours = dict[uuid.UUID, tuple[list[Span], list[Span]]]
Busy = dict[uuid.UUID, list[Span]]

_SCHEDULES = table_of(WorkSchedule)
_APPOINTMENTS = table_of(Appointment)
# Statements are built once with bound parameters: building one per request costs more than
# running it. `doctor_ids` / `cabinet_ids` expand to the request's list. The parameters carry
# their columns' types, so values are bound as the columns store them (on SQLite: hex uuids,
# naive UTC datetimes).
_DOCTORS = bindparam("doctor_ids", expanding=True, type_=GUID())
_CABINETS = bindparam("cabinet_ids", expanding=True, type_=GUID())
_SINCE = bindparam("since", type_=_APPOINTMENTS.c.start_at.type)
_UNTIL = bindparam("until", type_=_APPOINTMENTS.c.start_at.type)
_DOCTOR_ARRAY = bindparam("doctor_ids", type_=ARRAY(UUID(as_uuid=True)))  # PostgreSQL: one parameter
_FIRST = bindparam("first", type_=_SCHEDULES.c.work_date.type)
_LAST = bindparam("last", type_=_SCHEDULES.c.work_date.type)


def _of_doctors(column: Any, postgres: bool) -> Any:
    """`column` is one of the request's doctors: `= ANY(array)` on PostgreSQL, an IN list on SQLite."""
    return column == any_(_DOCTOR_ARRAY) if postgres else column.in_(_DOCTORS)


def _schedule_groups(postgres: bool) -> Select[Any]:
    """(date, intervals JSON text, breaks JSON text, comma-separated doctor ids) of the period.

    JSON has no equality on PostgreSQL, so the ranges are grouped as their text; the doctors
    of a group are aggregated as text (string_agg / group_concat).
    """
    intervals = cast(_SCHEDULES.c.intervals, Text)
    breaks = cast(_SCHEDULES.c.breaks, Text)
    return (
        select(
            _SCHEDULES.c.work_date,
            intervals,
            breaks,
            func.aggregate_strings(cast(_SCHEDULES.c.doctor_id, Text), ","),
        )
        .where(
            _of_doctors(_SCHEDULES.c.doctor_id, postgres),
            _SCHEDULES.c.work_date >= _FIRST,
            _SCHEDULES.c.work_date <= _LAST,
        )
        .group_by(_SCHEDULES.c.work_date, intervals, breaks)
    )


def _active() -> tuple[Any, ...]:
    """Active appointments starting in [since, until)."""
    table = _APPOINTMENTS
    return (table.c.deleted.is_(False), table.c.start_at >= _SINCE, table.c.start_at < _UNTIL)


def _merged_busy_postgres() -> Select[Any]:
    """(doctor, start, end, whether any names a cabinet) of the doctors' active appointments
    starting in [since, until), merged: `range_agg` unites each doctor's [start, end) ranges,
    overlapping and touching ones alike, into a multirange, unnested into its ranges."""
    table = _APPOINTMENTS
    doctor_id = type_coerce(table.c.doctor_id, GUID()).label("doctor_id")
    merged = (
        select(
            doctor_id,
            func.unnest(func.range_agg(func.tstzrange(table.c.start_at, table.c.end_at, "[)"))).label("span"),
            (func.count(table.c.cabinet_id) > 0).label("with_cabinet"),
        )
        .where(_of_doctors(table.c.doctor_id, True), *_active(), table.c.end_at > table.c.start_at)
        .group_by(table.c.doctor_id)
        .subquery("merged")
    )
    moment = table.c.start_at.type
    return select(
        merged.c.doctor_id,
        func.lower(merged.c.span, type_=moment),
        func.upper(merged.c.span, type_=moment),
        merged.c.with_cabinet,
    )


def _merged_busy() -> Select[Any]:
    """(doctor, start, end, how many name a cabinet) of the doctors' active appointments starting
    in [since, until), merged (SQLite).

    Gaps and islands: in start order, an appointment opens a new island unless it begins
    before (or when) some earlier appointment of the same doctor ends (the running maximum
    of the ends so far, so an appointment nested in a long one stays in its island); each
    island becomes one row, its first start and its last end. Served, already in order, by
    ix_appointments_doctor_id_start_at_end_at_deleted alone.
    """
    table = _APPOINTMENTS
    order = (table.c.start_at, table.c.end_at)
    reach = func.max(table.c.end_at).over(partition_by=table.c.doctor_id, order_by=order, rows=(None, -1))
    # Typed explicitly: a foreign-key column takes its type from the referenced one only once
    # both tables exist, and this statement is built at import time (ids must read back as uuids).
    doctor_id = type_coerce(table.c.doctor_id, GUID()).label("doctor_id")
    active = (
        select(doctor_id, table.c.cabinet_id, table.c.start_at, table.c.end_at, reach.label("reach"))
        .where(table.c.doctor_id.in_(_DOCTORS), *_active(), table.c.end_at > table.c.start_at)
        .subquery("active")
    )
    opens = case((active.c.start_at <= active.c.reach, 0), else_=1)
    island = func.sum(opens).over(
        partition_by=active.c.doctor_id, order_by=(active.c.start_at, active.c.end_at), rows=(None, 0)
    )
    numbered = select(
        active.c.doctor_id, active.c.cabinet_id, active.c.start_at, active.c.end_at, island.label("island")
    ).subquery("numbered")
    return select(
        numbered.c.doctor_id,
        func.min(numbered.c.start_at),
        func.max(numbered.c.end_at),
        func.count(numbered.c.cabinet_id),
    ).group_by(numbered.c.doctor_id, numbered.c.island)


SCHEDULE_GROUPS = {False: _schedule_groups(False), True: _schedule_groups(True)}  # by "is PostgreSQL"
MERGED_BUSY = {False: _merged_busy(), True: _merged_busy_postgres()}
# Which of the doctors work in which cabinet when (from their appointments naming one) …
IN_CABINETS = {
    postgres: select(_APPOINTMENTS.c.doctor_id, _APPOINTMENTS.c.cabinet_id, _APPOINTMENTS.c.start_at).where(
        _of_doctors(_APPOINTMENTS.c.doctor_id, postgres), _APPOINTMENTS.c.cabinet_id.is_not(None), *_active()
    )
    for postgres in (False, True)
}
# … and everything booked in those cabinets (ix_appointments_cabinet_id).
CABINET_APPOINTMENTS = select(
    _APPOINTMENTS.c.doctor_id, _APPOINTMENTS.c.cabinet_id, _APPOINTMENTS.c.start_at, _APPOINTMENTS.c.end_at
).where(_APPOINTMENTS.c.cabinet_id.in_(_CABINETS), *_active(), _APPOINTMENTS.c.end_at > _APPOINTMENTS.c.start_at)


# … and those cabinets' schedules on those dates (at most one row per cabinet and date).
CABINET_SCHEDULES = select(
    type_coerce(_SCHEDULES.c.cabinet_id, GUID()),
    _SCHEDULES.c.work_date,
    cast(_SCHEDULES.c.intervals, Text),
    cast(_SCHEDULES.c.breaks, Text),
).where(_SCHEDULES.c.cabinet_id.in_(_CABINETS), _SCHEDULES.c.work_date >= _FIRST, _SCHEDULES.c.work_date <= _LAST)


async def working_time(
    session: AsyncSession, doctor_ids: Sequence[uuid.UUID], first: date, last: date, tz: ZoneInfo
) -> Hours:
    """Per doctor with a schedule in first … last: (working intervals, breaks) in UTC.

    Doctors of one group share its interval objects; nothing is built per doctor and day.
    """
    # A uuid reads back as text in its canonical form on PostgreSQL, as 32 hex digits on SQLite.
    by_text = {text: doctor_id for doctor_id in doctor_ids for text in (str(doctor_id), doctor_id.hex)}
    hours: Hours = {}
    params = {"doctor_ids": list(doctor_ids), "first": first, "last": last}
    for day, intervals, pauses, doctors in await session.execute(SCHEDULE_GROUPS[on_postgres(session)], params):
        windows, break_windows = _utc_windows(day, intervals, tz), _utc_windows(day, pauses, tz)
        for text in doctors.split(","):
            doctor_id = by_text[text]
            found = hours.get(doctor_id)
            if found is None:
                found = hours[doctor_id] = ([], [])
            found[0].extend(windows)
            found[1].extend(break_windows)
    return hours


def _utc_windows(day: date, stored: str | None, tz: ZoneInfo) -> list[Interval]:
    """The stored wall-clock ranges of `day` (JSON text) as UTC intervals; DST-skipped times are shifted."""
    ranges = rules.stored_ranges(json.loads(stored) if stored else ())
    return [Interval(start, end) for start, end in rules.to_windows(day, ranges, tz, strict=False) if end > start]


async def busy_time(
    session: AsyncSession, doctor_ids: Sequence[uuid.UUID], start: datetime, end: datetime, tz: ZoneInfo
) -> Busy:
    """Per doctor: the time in [start, end) they cannot be booked (merged where it touches)."""
    # An appointment that began the day before may still reach into the window.
    params: dict[str, Any] = {"doctor_ids": list(doctor_ids), "since": start - timedelta(days=1), "until": end}
    busy: Busy = defaultdict(list)
    in_cabinets = False
    postgres = on_postgres(session)
    for doctor_id, s, e, with_cabinet in await session.execute(MERGED_BUSY[postgres], params):
        busy[doctor_id].append((s, e))
        in_cabinets = in_cabinets or bool(with_cabinet)
    if not in_cabinets:  # no appointment names a cabinet: nobody shares one
        return busy
    cabinet_days: CabinetDays = defaultdict(set)
    for doctor_id, cabinet_id, starts_at in await session.execute(IN_CABINETS[postgres], params):
        cabinet_days[(cabinet_id, local_date(starts_at, tz))].add(doctor_id)
    if cabinet_days:
        params["cabinet_ids"] = list({cabinet for cabinet, _ in cabinet_days})
        _add_cabinet_busy(busy, await session.execute(CABINET_APPOINTMENTS, params), cabinet_days, tz)
        dates = [day for _, day in cabinet_days]
        schedule_params = {"cabinet_ids": params["cabinet_ids"], "first": min(dates), "last": max(dates)}
        _add_cabinet_closures(busy, await session.execute(CABINET_SCHEDULES, schedule_params), cabinet_days, tz)
    return busy


CabinetDays = dict[tuple[uuid.UUID, date], set[uuid.UUID]]


def _add_cabinet_busy(
    busy: Busy, appointments: Iterable[tuple[uuid.UUID, uuid.UUID, datetime, datetime]], days: CabinetDays, tz: ZoneInfo
) -> None:
    """Other doctors' appointments in a cabinet become busy time of each doctor working there that day."""
    for owner, cabinet_id, s, e in appointments:
        for doctor_id in days.get((cabinet_id, local_date(s, tz)), ()):
            if doctor_id != owner:
                busy[doctor_id].append((s, e))


def _add_cabinet_closures(
    busy: Busy, schedules: Iterable[tuple[uuid.UUID, date, str | None, str | None]], days: CabinetDays, tz: ZoneInfo
) -> None:
    """The hours of a day when none of a doctor's cabinets of that day is open become their busy time.

    A cabinet without a schedule that day is open all day, so such a doctor-day gets nothing.
    Cabinets sharing a day's ranges share their conversion (as in `working_time`).
    """
    converted: dict[tuple[date, str | None, str | None], list[Interval]] = {}
    open_hours: dict[tuple[uuid.UUID, date], list[Interval]] = {}
    for cabinet_id, day, intervals, pauses in schedules:
        key = (cabinet_id, day)
        if key not in days:
            continue
        ranges = (day, intervals, pauses)
        if ranges not in converted:
            converted[ranges] = free_intervals(_utc_windows(day, intervals, tz), _utc_windows(day, pauses, tz))
        open_hours[key] = converted[ranges]
    cabinets_of: dict[tuple[uuid.UUID, date], list[uuid.UUID]] = defaultdict(list)
    for (cabinet_id, day), doctors in days.items():
        for doctor_id in doctors:
            cabinets_of[(doctor_id, day)].append(cabinet_id)
    for (doctor_id, day), cabinets in cabinets_of.items():
        if any((cabinet_id, day) not in open_hours for cabinet_id in cabinets):
            continue
        opened = [hours for cabinet_id in cabinets for hours in open_hours[(cabinet_id, day)]]
        busy[doctor_id].extend(uncovered(day_bounds_utc(day, day, tz), opened))
