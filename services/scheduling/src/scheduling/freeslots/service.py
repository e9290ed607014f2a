"""Free-time search (SCH-12): loads schedules and appointments, then runs the pure `slots` engine.

Hot path (a month of a whole specialization): one column-only Core query each for the
doctors, their schedules and their active appointments (no ORM objects), wall-clock ranges
converted to UTC once per distinct (date, range), only the returned page built as models,
and the total counted by arithmetic over the free gaps instead of enumerating every slot.

Busy time of a doctor: their own active appointments, plus, on a date when they work in a
cabinet (one of their appointments that day names it), the other appointments in that cabinet,
since booking the doctor there would overlap those too.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from scheduling.appointments.models import Appointment
from scheduling.directories.models import Doctor, doctor_specializations
from scheduling.freeslots.schemas import DEFAULT_DAYS, MAX_DAYS, FreeSlotPage, FreeSlotQuery, FreeSlotRead
from scheduling.localtime import clinic_today, day_bounds_utc, day_start_utc, local_date
from scheduling.online.models import OnlineLink
from scheduling.preferences.models import BookingSettings
from scheduling.schedules import rules
from scheduling.schedules.models import WorkSchedule
from scheduling.slots import Interval, build_availability, search_free_slots

MAX_DURATION_MINUTES = 24 * 60


@dataclass(frozen=True)
class Period:
    """The checked search period and slot length."""

    first: date
    last: date
    duration: timedelta


def checked_period(query: FreeSlotQuery, *, today: date, grid_step_minutes: int) -> Period:
    """Defaults and 422s of the query: the dates, the period's length, the duration."""
    first = query.date_from or today
    last = query.date_to or first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValidationFailed.field("date_to", "must not be before date_from")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed.field("date_to", f"the period must not be longer than {MAX_DAYS} days")
    minutes = query.duration_minutes if query.duration_minutes is not None else grid_step_minutes
    if minutes <= 0:
        raise ValidationFailed.field("duration_minutes", "must be greater than 0")
    if minutes > MAX_DURATION_MINUTES:
        raise ValidationFailed.field("duration_minutes", f"must not exceed {MAX_DURATION_MINUTES}")
    return Period(first, last, timedelta(minutes=minutes))


async def candidate_doctors(
    session: AsyncSession, query: FreeSlotQuery, *, online_only: bool = False
) -> Sequence[uuid.UUID]:
    """Ids of the active doctors matching the query (all given filters at once), by name."""
    if query.doctor_id is None and query.specialization_id is None and query.service_id is None:
        raise ValidationFailed.field("doctor_id", "give doctor_id, specialization_id or service_id")
    statement = select(Doctor.id).where(Doctor.active.is_(True))
    if query.doctor_id is not None:
        statement = statement.where(Doctor.id == query.doctor_id)
    if query.specialization_id is not None:
        by_specialization = select(doctor_specializations.c.doctor_id).where(
            doctor_specializations.c.specialization_id == query.specialization_id
        )
        statement = statement.where(Doctor.id.in_(by_specialization))
    if query.service_id is not None:
        statement = statement.where(
            Doctor.id.in_(select(OnlineLink.doctor_id).where(OnlineLink.service_id == query.service_id))
        )
    if query.building_id is not None:
        statement = statement.where(Doctor.building_id == query.building_id)
    if online_only:
        statement = statement.where(Doctor.online_booking.is_(True))
    statement = statement.order_by(Doctor.last_name, Doctor.first_name, Doctor.middle_name, Doctor.id)
    return (await session.execute(statement)).scalars().all()


async def find(
    session: AsyncSession,
    query: FreeSlotQuery,
    *,
    tz: ZoneInfo,
    prefs: BookingSettings,
    online_only: bool = False,
    now: datetime | None = None,
) -> FreeSlotPage:
    """The nearest `limit` free slots of the matching doctors, and their total in the period."""
    now = now or utcnow()
    today = clinic_today(tz, now)
    period = checked_period(query, today=today, grid_step_minutes=prefs.grid_step_minutes)
    doctor_ids = list(await candidate_doctors(session, query, online_only=online_only))
    if not doctor_ids:
        return FreeSlotPage(items=[], total=0)
    window_start, window_end = day_bounds_utc(period.first, period.last, tz)
    # Nothing past the booking horizon: every slot offered must be bookable.
    window_end = min(window_end, day_start_utc(today + timedelta(days=prefs.booking_horizon_days + 1), tz))
    if window_end <= window_start:
        return FreeSlotPage(items=[], total=0)
    working, breaks = await _working_time(session, doctor_ids, period, tz)
    busy = await _busy(session, doctor_ids, window_start, window_end, tz)
    availability = build_availability(working, breaks, busy)
    rank = {doctor_id: index for index, doctor_id in enumerate(doctor_ids)}
    availability.sort(key=lambda a: rank[a.doctor_id])
    page, total = search_free_slots(
        availability,
        window_start=window_start,
        window_end=window_end,
        duration=period.duration,
        grid_step=timedelta(minutes=prefs.grid_step_minutes),
        now=now,
        limit=query.limit,
    )
    items = [FreeSlotRead(doctor_id=s.doctor_id, start=s.start, end=s.end) for s in page]
    return FreeSlotPage(items=items, total=total)


Rows = list[tuple[uuid.UUID, Interval]]


async def _working_time(
    session: AsyncSession, doctor_ids: list[uuid.UUID], period: Period, tz: ZoneInfo
) -> tuple[Rows, Rows]:
    """Working intervals and breaks of the doctors' schedules in the period, in UTC.

    One query (served by the unique (doctor_id, work_date) index); a month of 100 doctors
    mostly repeats the same few ranges, so each distinct (date, ranges) is converted once.
    """
    statement = select(
        WorkSchedule.doctor_id, WorkSchedule.work_date, WorkSchedule.intervals, WorkSchedule.breaks
    ).where(
        WorkSchedule.doctor_id.in_(doctor_ids),
        WorkSchedule.work_date >= period.first,
        WorkSchedule.work_date <= period.last,
    )
    cache: dict[tuple[date, tuple[tuple[str, str], ...]], list[Interval]] = {}

    def windows(day: date, raw: Sequence[dict[str, str]]) -> list[Interval]:
        key = (day, tuple((r["start"], r["end"]) for r in raw))
        found = cache.get(key)
        if found is None:
            ranges = rules.stored_ranges(raw)
            found = [Interval(s, e) for s, e in rules.to_windows(day, ranges, tz, strict=False) if e > s]
            cache[key] = found
        return found

    working: Rows = []
    breaks: Rows = []
    for doctor_id, work_date, intervals, pauses in await session.execute(statement):
        working += [(doctor_id, interval) for interval in windows(work_date, intervals or ())]
        breaks += [(doctor_id, interval) for interval in windows(work_date, pauses or ())]
    return working, breaks


_Booked = tuple[uuid.UUID, uuid.UUID | None, datetime, datetime]


async def _active_between(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    doctor_ids: Sequence[uuid.UUID] = (),
    cabinet_ids: Sequence[uuid.UUID] = (),
) -> list[_Booked]:
    """(doctor, cabinet, start, end) of active appointments of these doctors or cabinets starting in [start, end).

    Served by ix_appointments_doctor_id_start_at (doctors) and ix_appointments_cabinet_id (cabinets).
    """
    owner = Appointment.doctor_id.in_(doctor_ids) if doctor_ids else Appointment.cabinet_id.in_(cabinet_ids)
    statement = select(Appointment.doctor_id, Appointment.cabinet_id, Appointment.start_at, Appointment.end_at).where(
        owner, Appointment.deleted.is_(False), Appointment.start_at >= start, Appointment.start_at < end
    )
    return [(d, c, s, e) for d, c, s, e in await session.execute(statement) if e > s]


async def _busy(
    session: AsyncSession, doctor_ids: list[uuid.UUID], start: datetime, end: datetime, tz: ZoneInfo
) -> Rows:
    # An appointment that began the day before may still reach into the window.
    since = start - timedelta(days=1)
    own = await _active_between(session, since, end, doctor_ids=doctor_ids)
    busy: Rows = [(doctor_id, Interval(s, e)) for doctor_id, _, s, e in own]
    cabinet_days: dict[tuple[uuid.UUID, date], set[uuid.UUID]] = defaultdict(set)
    for doctor_id, cabinet_id, s, _ in own:
        if cabinet_id is not None:
            cabinet_days[(cabinet_id, local_date(s, tz))].add(doctor_id)
    if cabinet_days:
        cabinet_ids = list({cabinet for cabinet, _ in cabinet_days})
        shared = await _active_between(session, since, end, cabinet_ids=cabinet_ids)
        busy += _cabinet_busy(shared, cabinet_days, tz)
    return busy


def _cabinet_busy(
    appointments: Iterable[_Booked], cabinet_days: dict[tuple[uuid.UUID, date], set[uuid.UUID]], tz: ZoneInfo
) -> Rows:
    rows: Rows = []
    for owner, cabinet_id, s, e in appointments:
        if cabinet_id is None:
            continue
        for doctor_id in cabinet_days.get((cabinet_id, local_date(s, tz)), ()):
            if doctor_id != owner:
                rows.append((doctor_id, Interval(s, e)))
    return rows
