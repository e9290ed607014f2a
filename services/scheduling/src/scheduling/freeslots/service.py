"""Free-time search (SCH-12): checks the query, picks the doctors, reads their time, runs `slots`.

`reads` brings the working time, breaks and busy time back already reduced by the database
(schedules grouped, appointments merged); the pure `slots` engine then lists the free gaps
once per doctor, counts the slots in them by arithmetic and builds only the returned page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from scheduling.directories.models import Doctor, doctor_specializations
from scheduling.freeslots import reads
from scheduling.freeslots.schemas import DEFAULT_DAYS, MAX_DAYS, FreeSlotPage, FreeSlotQuery, FreeSlotRead
from scheduling.localtime import clinic_today, day_bounds_utc, day_start_utc
from scheduling.online.models import OnlineLink
from scheduling.preferences.service import Prefs
from scheduling.slots import DoctorAvailability, search_free_slots

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
    prefs: Prefs,
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
    hours = await reads.working_time(session, doctor_ids, period.first, period.last, tz)
    busy = await reads.busy_time(session, doctor_ids, window_start, window_end, tz)
    # In the doctors' order (by name): ties between doctors are listed that way.
    availability = [
        DoctorAvailability(doctor_id, *hours[doctor_id], busy.get(doctor_id, ()))
        for doctor_id in doctor_ids
        if doctor_id in hours
    ]
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
