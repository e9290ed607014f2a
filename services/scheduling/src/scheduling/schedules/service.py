"""Work schedules: create, replace, bulk-fill, add a break, delete (SCH-2).

A change that would leave an active appointment outside working time or in a break is
refused with 409 naming those appointments: they must be moved first, so an existing
booking never silently becomes invalid. That holds for cabinets too, whose schedules restrict
the appointments held in them; a cabinet without a schedule that day is unrestricted, so a
new cabinet day is checked against what is already booked there, and deleting one is always
allowed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from scheduling.appointments.repository import AppointmentRepository
from scheduling.directories import service as directories
from scheduling.directories.models import Cabinet, DayType, Doctor
from scheduling.localtime import NonexistentLocalTime, clock_minutes, day_bounds_utc, local_date, local_to_utc
from scheduling.schedules import rules
from scheduling.schedules.models import WorkSchedule
from scheduling.schedules.repository import ScheduleRepository
from scheduling.schedules.schemas import (
    BreakCreate,
    BulkResult,
    BulkSkip,
    ClockRangeRead,
    ScheduleBulk,
    ScheduleCreate,
    ScheduleDay,
    ScheduleRead,
)

log = get_logger(__name__)
Day = tuple[list[rules.ClockRange], list[rules.ClockRange]]
# An active appointment as a day check needs it: (id, start, end).
Booked = tuple[uuid.UUID, datetime, datetime]


async def get_schedule(session: AsyncSession, schedule_id: uuid.UUID) -> WorkSchedule:
    """A schedule by id; 404 when there is none."""
    schedule = await ScheduleRepository(session).get(schedule_id)
    if schedule is None:
        raise NotFound(f"No schedule {schedule_id}.")
    return schedule


async def _day_to_change(
    session: AsyncSession, schedule_id: uuid.UUID, *, if_match: str | None, principal: Principal
) -> WorkSchedule:
    """A schedule about to change, locked against bookings of that day (PostgreSQL); 404 when
    none; 412 when the change was made from another version, 428 when it names none."""
    schedule = await ScheduleRepository(session).lock_day(schedule_id)
    if schedule is None:
        raise NotFound(f"No schedule {schedule_id}.")
    check_if_match(if_match, schedule, principal, required=True)
    return schedule


async def create_schedule(
    session: AsyncSession, *, principal: Principal, data: ScheduleCreate, tz: ZoneInfo
) -> WorkSchedule:
    """One day of a doctor or cabinet; 409 when that owner already has one on the date."""
    doctor_id, cabinet_id = await _owner(session, data.doctor_id, data.cabinet_id)
    day = checked_day(data, data.date, tz)
    await directories.optional_item(session, DayType, data.day_type_id, field="day_type_id", label="day type")
    existing = await ScheduleRepository(session).of_owner(
        doctor_id=doctor_id, cabinet_id=cabinet_id, work_date=data.date
    )
    if existing is not None:
        raise _exists(existing)
    schedule = _new(doctor_id, cabinet_id, data.date, principal)
    # A cabinet's day may already hold appointments (booked while it had no schedule).
    await _refuse_stranded(session, schedule, day, tz)
    _fill(schedule, day, data)
    session.add(schedule)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"A schedule for {data.date.isoformat()} was created meanwhile.", code="schedule-exists"
        ) from exc
    log.info("scheduling.schedule.created", schedule_id=str(schedule.id), work_date=data.date.isoformat())
    return schedule


async def replace_schedule(
    session: AsyncSession,
    *,
    principal: Principal,
    schedule_id: uuid.UUID,
    data: ScheduleDay,
    tz: ZoneInfo,
    if_match: str | None = None,
) -> WorkSchedule:
    """Replace a day's intervals, breaks, day type and note (owner and date stay)."""
    schedule = await _day_to_change(session, schedule_id, if_match=if_match, principal=principal)
    day = checked_day(data, schedule.work_date, tz)
    await directories.optional_item(session, DayType, data.day_type_id, field="day_type_id", label="day type")
    await _refuse_stranded(session, schedule, day, tz)
    _fill(schedule, day, data)
    _touch(schedule, principal)
    await session.flush()
    return schedule


async def add_break(
    session: AsyncSession,
    *,
    principal: Principal,
    schedule_id: uuid.UUID,
    data: BreakCreate,
    tz: ZoneInfo,
    if_match: str | None = None,
) -> WorkSchedule:
    """Add a break to one day; it must lie inside working time and not touch booked patients."""
    schedule = await _day_to_change(session, schedule_id, if_match=if_match, principal=principal)
    try:
        pause = rules.ClockRange(clock_minutes(data.start), clock_minutes(data.end))
    except ValueError as exc:
        field = "start" if _bad_clock(data.start) else "end"
        raise ValidationFailed.field(field, str(exc)) from exc
    if pause.end <= pause.start:
        raise ValidationFailed.field("end", "must be after start")
    intervals = rules.stored_ranges(schedule.intervals)
    breaks = rules.stored_ranges(schedule.breaks)
    if not any(i.start <= pause.start and pause.end <= i.end for i in intervals):
        raise ValidationFailed.field("start", "the break must lie inside one working interval")
    if any(b.start < pause.end and pause.start < b.end for b in breaks):
        raise ValidationFailed.field("start", "the break overlaps another break of this day")
    for field, minutes in (("start", pause.start), ("end", pause.end)):
        try:
            local_to_utc(schedule.work_date, minutes, tz)
        except NonexistentLocalTime as exc:
            raise ValidationFailed.field(field, _skipped_time(schedule.work_date, tz)) from exc
    day = (intervals, sorted([*breaks, pause]))
    await _refuse_stranded(session, schedule, day, tz)
    schedule.breaks = [r.as_json() for r in day[1]]
    _touch(schedule, principal)
    await session.flush()
    return schedule


async def delete_schedule(
    session: AsyncSession, *, principal: Principal, schedule_id: uuid.UUID, tz: ZoneInfo, if_match: str | None = None
) -> None:
    """Delete a day; 409 while the doctor has active appointments on it.

    A cabinet's day can always go: without a schedule the cabinet is unrestricted."""
    schedule = await _day_to_change(session, schedule_id, if_match=if_match, principal=principal)
    if schedule.doctor_id is not None:
        await _refuse_stranded(session, schedule, ([], []), tz)
    await session.delete(schedule)
    await session.flush()


async def bulk_fill(session: AsyncSession, *, principal: Principal, data: ScheduleBulk, tz: ZoneInfo) -> BulkResult:
    """The same day on the chosen weekdays of a period; existing days are kept unless replaced."""
    doctor_id, cabinet_id = await _owner(session, data.doctor_id, data.cabinet_id)
    if data.date_to < data.date_from:
        raise ValidationFailed.field("date_to", "must not be before date_from")
    if (data.date_to - data.date_from).days >= 366:
        raise ValidationFailed.field("date_to", "a period of at most 366 days can be filled at once")
    ranges = _parsed(data)
    await directories.optional_item(session, DayType, data.day_type_id, field="day_type_id", label="day type")
    existing = await ScheduleRepository(session).of_owner_between(
        doctor_id=doctor_id, cabinet_id=cabinet_id, first=data.date_from, last=data.date_to, for_update=True
    )
    booked = await _booked_by_date(session, doctor_id, cabinet_id, data.date_from, data.date_to, tz)
    result = BulkResult(created=[], replaced=[], skipped=[])
    for work_date in rules.bulk_dates(data.date_from, data.date_to, set(data.weekdays)):
        try:
            _windows_or_422(work_date, ranges, tz)
        except ValidationFailed:
            result.skipped.append(BulkSkip(date=work_date, reason="nonexistent_local_time"))
            continue
        schedule = existing.get(work_date)
        stranded = outside_day(booked.get(work_date, ()), work_date, ranges, tz)
        if schedule is None and stranded:
            result.skipped.append(BulkSkip(date=work_date, reason="appointments_outside_schedule", conflicts=stranded))
        elif schedule is None:
            schedule = _new(doctor_id, cabinet_id, work_date, principal)
            _fill(schedule, ranges, data)
            session.add(schedule)
            result.created.append(work_date)
        elif not data.replace_existing:
            result.skipped.append(BulkSkip(date=work_date, reason="exists", schedule_id=schedule.id))
        elif stranded:
            result.skipped.append(
                BulkSkip(
                    date=work_date,
                    reason="appointments_outside_schedule",
                    schedule_id=schedule.id,
                    conflicts=stranded,
                )
            )
        else:
            _fill(schedule, ranges, data)
            _touch(schedule, principal)
            result.replaced.append(work_date)
    await session.flush()
    log.info("scheduling.schedule.bulk", created=len(result.created), replaced=len(result.replaced))
    return result


def checked_day(data: ScheduleDay, work_date: date, tz: ZoneInfo) -> Day:
    """The day's ranges, checked (format, order, overlaps, breaks inside work, DST); 422 otherwise."""
    day = _parsed(data)
    _windows_or_422(work_date, day, tz)
    return day


async def stranded_appointments(
    session: AsyncSession, schedule: WorkSchedule, day: Day, tz: ZoneInfo
) -> list[uuid.UUID]:
    """Active appointments of the schedule's doctor (or held in its cabinet) that the new day would leave out."""
    booked = await _booked_by_date(
        session, schedule.doctor_id, schedule.cabinet_id, schedule.work_date, schedule.work_date, tz
    )
    return outside_day(booked.get(schedule.work_date, ()), schedule.work_date, day, tz)


def outside_day(appointments: Sequence[Booked], work_date: date, day: Day, tz: ZoneInfo) -> list[uuid.UUID]:
    """Ids of the appointments (of `work_date`) that would not fit into `day`: outside work or in a break."""
    if not appointments:
        return []
    windows = rules.to_windows(work_date, day[0], tz, strict=False)
    breaks = rules.to_windows(work_date, day[1], tz, strict=False)
    return [a_id for a_id, start, end in appointments if rules.placement_problem(start, end, windows, breaks)]


async def _booked_by_date(
    session: AsyncSession,
    doctor_id: uuid.UUID | None,
    cabinet_id: uuid.UUID | None,
    first: date,
    last: date,
    tz: ZoneInfo,
) -> dict[date, list[Booked]]:
    """The owner's active appointments starting on first … last (one query), by clinic date."""
    start, end = day_bounds_utc(first, last, tz)
    rows = await AppointmentRepository(session).active_spans_between(
        start=start,
        end=end,
        doctor_ids=[doctor_id] if doctor_id is not None else (),
        cabinet_ids=[cabinet_id] if cabinet_id is not None else (),
    )
    by_date: dict[date, list[Booked]] = {}
    for appointment_id, starts_at, ends_at in rows:
        by_date.setdefault(local_date(starts_at, tz), []).append((appointment_id, starts_at, ends_at))
    return by_date


def _parsed(data: ScheduleDay) -> Day:
    intervals, errors = rules.parse_ranges([r.model_dump() for r in data.intervals], "intervals")
    breaks, break_errors = rules.parse_ranges([r.model_dump() for r in data.breaks], "breaks")
    errors += break_errors
    if not errors:
        errors = rules.day_errors(intervals, breaks)
    if errors:
        raise ValidationFailed(f"Invalid input: {', '.join(e['field'] for e in errors)}", errors=errors)
    return sorted(intervals), sorted(breaks)


def _windows_or_422(work_date: date, day: Day, tz: ZoneInfo) -> None:
    for ranges, field in ((day[0], "intervals"), (day[1], "breaks")):
        try:
            rules.to_windows(work_date, ranges, tz, field)
        except NonexistentLocalTime as exc:
            raise ValidationFailed.field(str(exc), _skipped_time(work_date, tz)) from exc


async def _refuse_stranded(session: AsyncSession, schedule: WorkSchedule, day: Day, tz: ZoneInfo) -> None:
    stranded = await stranded_appointments(session, schedule, day, tz)
    if stranded:
        raise Conflict(
            f"{len(stranded)} active appointment(s) would be left outside working time or in a break; "
            "move or delete them first.",
            code="schedule-conflict",
            reason="appointments_outside_schedule",
            conflicts=[str(i) for i in stranded],
        )


async def _owner(
    session: AsyncSession, doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    if (doctor_id is None) == (cabinet_id is None):
        raise ValidationFailed.field("doctor_id", "give exactly one of doctor_id and cabinet_id")
    if doctor_id is not None:
        await directories.require_item(session, Doctor, doctor_id, field="doctor_id", label="doctor")
    else:
        assert cabinet_id is not None
        await directories.require_item(session, Cabinet, cabinet_id, field="cabinet_id", label="cabinet")
    return doctor_id, cabinet_id


def _new(
    doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None, work_date: date, principal: Principal
) -> WorkSchedule:
    now = utcnow()
    return WorkSchedule(
        id=uuid.uuid4(),
        doctor_id=doctor_id,
        cabinet_id=cabinet_id,
        work_date=work_date,
        version=1,
        created_at=now,
        created_by_username=principal.username,
        updated_at=now,
        updated_by_username=principal.username,
    )


def _fill(schedule: WorkSchedule, day: Day, data: ScheduleDay) -> None:
    schedule.intervals = [r.as_json() for r in day[0]]
    schedule.breaks = [r.as_json() for r in day[1]]
    schedule.day_type_id = data.day_type_id
    schedule.note = data.note


def _touch(schedule: WorkSchedule, principal: Principal) -> None:
    schedule.version += 1
    schedule.updated_at = utcnow()
    schedule.updated_by_username = principal.username


def _exists(existing: WorkSchedule) -> Conflict:
    return Conflict(
        f"A schedule for {existing.work_date.isoformat()} already exists; change it with PUT /schedules/{existing.id}.",
        code="schedule-exists",
        reason="schedule_exists",
        conflicts=[str(existing.id)],
    )


def _skipped_time(work_date: date, tz: ZoneInfo) -> str:
    return f"this time does not exist on {work_date.isoformat()} in {tz.key} (clocks go forward)"


def _bad_clock(value: str) -> bool:
    try:
        clock_minutes(value)
    except ValueError:
        return True
    return False


def windows_of(schedule: WorkSchedule, tz: ZoneInfo) -> tuple[list[rules.Window], list[rules.Window]]:
    """The schedule's working intervals and breaks as UTC instants."""
    intervals = rules.to_windows(schedule.work_date, rules.stored_ranges(schedule.intervals), tz, strict=False)
    breaks = rules.to_windows(schedule.work_date, rules.stored_ranges(schedule.breaks), tz, strict=False)
    return intervals, breaks


def present(schedule: WorkSchedule, tz: ZoneInfo) -> ScheduleRead:
    """A schedule as the API shows it: wall-clock times and their instants (written in the clinic's zone)."""

    def ranges(raw: list[dict[str, str]]) -> list[ClockRangeRead]:
        clock_ranges = rules.stored_ranges(raw)
        windows = rules.to_windows(schedule.work_date, clock_ranges, tz, strict=False)
        return [
            ClockRangeRead(start=r["start"], end=r["end"], starts_at=w[0], ends_at=w[1])
            for r, w in zip(raw, windows, strict=True)
        ]

    return ScheduleRead(
        id=schedule.id,
        doctor_id=schedule.doctor_id,
        cabinet_id=schedule.cabinet_id,
        date=schedule.work_date,
        intervals=ranges(schedule.intervals),
        breaks=ranges(schedule.breaks),
        day_type_id=schedule.day_type_id,
        note=schedule.note,
        version=schedule.version,
        created_at=schedule.created_at,
        created_by_username=schedule.created_by_username,
        updated_at=schedule.updated_at,
        updated_by_username=schedule.updated_by_username,
    )
