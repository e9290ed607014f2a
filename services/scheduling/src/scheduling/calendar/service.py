"""The calendar (SCH-3): for chosen dates × doctors/cabinets (× building), working days,
breaks and appointments, grouped by date or by doctor.

Without chosen doctors or cabinets it shows everyone who works in the period (in the
building, when one is chosen), as the booking screen lists "doctors with a schedule".
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ValidationFailed
from scheduling.appointments import views
from scheduling.appointments.repository import AppointmentRepository
from scheduling.calendar.schemas import (
    Calendar,
    CalendarColumn,
    CalendarGroup,
    CalendarOwner,
    CalendarSchedule,
    DayTypeRef,
)
from scheduling.directories.models import Cabinet, DayType, Doctor
from scheduling.directories.repository import existing_ids
from scheduling.localtime import clinic_today, day_bounds_utc, local_date
from scheduling.preferences import service as preferences
from scheduling.schedules import service as schedules
from scheduling.schedules.models import WorkSchedule
from scheduling.schedules.repository import ScheduleRepository

MAX_DAYS = 62
OwnerKey = tuple[str, uuid.UUID]


@dataclass(frozen=True)
class CalendarQuery:
    date_from: date
    date_to: date
    doctor_ids: list[uuid.UUID]
    cabinet_ids: list[uuid.UUID]
    building_id: uuid.UUID | None
    group_by: Literal["date", "doctor"]
    view: Literal["doctors", "cabinets"]
    updated_since: datetime | None = None


async def build(session: AsyncSession, query: CalendarQuery, *, tz: ZoneInfo, minor_age: int) -> Calendar:
    """The calendar of a period."""
    if query.date_to < query.date_from:
        raise ValidationFailed.field("date_to", "must not be before date_from")
    if (query.date_to - query.date_from).days >= MAX_DAYS:
        raise ValidationFailed.field("date_to", f"the calendar shows at most {MAX_DAYS} days")
    explicit = bool(query.doctor_ids or query.cabinet_ids)
    found = await ScheduleRepository(session).list_all(
        ScheduleRepository(session).search(
            date_from=query.date_from,
            date_to=query.date_to,
            doctor_ids=query.doctor_ids,
            cabinet_ids=query.cabinet_ids,
        )
    )
    owners = await _owners(session, query, found, explicit)
    days = [query.date_from + timedelta(days=n) for n in range((query.date_to - query.date_from).days + 1)]
    by_day: dict[tuple[OwnerKey, date], WorkSchedule] = {}
    for schedule in found:
        if schedule.doctor_id is not None:
            key: OwnerKey = ("doctor", schedule.doctor_id)
        elif schedule.cabinet_id is not None:
            key = ("cabinet", schedule.cabinet_id)
        else:
            continue  # a schedule is a doctor's or a cabinet's (a check constraint): never here
        by_day[(key, schedule.work_date)] = schedule
    start, end = day_bounds_utc(query.date_from, query.date_to, tz)
    appointments = await AppointmentRepository(session).cells_between(
        start=start,
        end=end,
        doctor_ids=[i for (kind, i) in owners if kind == "doctor"],
        cabinet_ids=[i for (kind, i) in owners if kind == "cabinet"],
        updated_since=query.updated_since,
    )
    found_refs = await views.cell_lookups(session, appointments)
    today = clinic_today(tz)
    cells: dict[tuple[OwnerKey, date], list[Any]] = defaultdict(list)
    for appointment in appointments:
        day = local_date(appointment.start_at, tz)
        cell = views.compact(appointment, found_refs, today=today, minor_age=minor_age)
        if ("doctor", appointment.doctor_id) in owners:
            cells[(("doctor", appointment.doctor_id), day)].append(cell)
        if appointment.cabinet_id and ("cabinet", appointment.cabinet_id) in owners:
            cells[(("cabinet", appointment.cabinet_id), day)].append(cell)
    day_types = await existing_ids(session, DayType, list({s.day_type_id for s in found if s.day_type_id}))
    columns = [
        CalendarColumn(
            date=day,
            owner=owner,
            schedule=_schedule(by_day.get((key, day)), day_types, tz),
            appointments=cells.get((key, day), []),
        )
        for key, owner in owners.items()
        for day in days
        if explicit or (key, day) in by_day or (key, day) in cells
    ]
    prefs = await preferences.current(session)
    return Calendar(
        date_from=query.date_from,
        date_to=query.date_to,
        timezone=tz.key,
        grid_step_minutes=prefs.grid_step_minutes,
        group_by=query.group_by,
        groups=_grouped(columns, query.group_by),
    )


async def _owners(
    session: AsyncSession, query: CalendarQuery, found: list[WorkSchedule] | Any, explicit: bool
) -> dict[OwnerKey, CalendarOwner]:
    if explicit:
        doctor_ids, cabinet_ids = query.doctor_ids, query.cabinet_ids
    elif query.view == "doctors":
        doctor_ids, cabinet_ids = list({s.doctor_id for s in found if s.doctor_id}), []
    else:
        doctor_ids, cabinet_ids = [], list({s.cabinet_id for s in found if s.cabinet_id})
    doctors = await existing_ids(session, Doctor, doctor_ids)
    cabinets = await existing_ids(session, Cabinet, cabinet_ids)
    for name, wanted, have in (("doctor_id", query.doctor_ids, doctors), ("cabinet_id", query.cabinet_ids, cabinets)):
        missing = [str(i) for i in wanted if i not in have]
        if missing:
            raise ValidationFailed.field(name, f"no such {name[:-3]}: {', '.join(missing)}")
    owners: dict[OwnerKey, CalendarOwner] = {}
    for doctor in sorted(doctors.values(), key=lambda d: (d.last_name, d.first_name)):
        if explicit or query.building_id is None or doctor.building_id == query.building_id:
            owners[("doctor", doctor.id)] = CalendarOwner(
                type="doctor", id=doctor.id, name=doctor.name, note=doctor.note
            )
    for cabinet in sorted(cabinets.values(), key=lambda c: c.name):
        if explicit or query.building_id is None or cabinet.building_id == query.building_id:
            owners[("cabinet", cabinet.id)] = CalendarOwner(type="cabinet", id=cabinet.id, name=cabinet.name)
    return owners


def _schedule(schedule: WorkSchedule | None, day_types: dict[uuid.UUID, Any], tz: ZoneInfo) -> CalendarSchedule | None:
    if schedule is None:
        return None
    read = schedules.present(schedule, tz)
    day_type = day_types.get(schedule.day_type_id) if schedule.day_type_id else None
    return CalendarSchedule(
        id=schedule.id,
        intervals=read.intervals,
        breaks=read.breaks,
        day_type=DayTypeRef(id=day_type.id, name=day_type.name, colour=day_type.colour) if day_type else None,
        note=schedule.note,
    )


def _grouped(columns: list[CalendarColumn], group_by: str) -> list[CalendarGroup]:
    groups: dict[str, CalendarGroup] = {}
    ordered = columns if group_by == "doctor" else sorted(columns, key=lambda c: c.date)
    for column in ordered:
        if group_by == "date":
            key, title = column.date.isoformat(), column.date.isoformat()
        else:
            key, title = str(column.owner.id), column.owner.name
        groups.setdefault(key, CalendarGroup(key=key, title=title, columns=[])).columns.append(column)
    return list(groups.values())
