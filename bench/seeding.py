"""Fast seeding of appointments straight into the scheduling schema (bench setup only).

Booking through the API costs ~25 ms of CPU per appointment on this 2-core machine, so seeding
10,000 of them took minutes of a 15-minute budget. The benchmark's own figures still book
through the gateway; only the data they run *on* is written here, in a few bulk inserts.

The rows are what `scheduling.appointments.booking.book` would write, built by the service's
own code: the typed patient is cleaned by `typed_patient`, placed with `place`/`set_patient`,
journaled with `journal.snapshot` + `rules.creation`, and its `appointment.created` event is
built by `appointment_state` (outbox row marked published: history relayed long ago, so the
measured runs do not relay 10,000 stale events). Every slot passes the same in-memory checks
as `check_slot` (booking window, a schedule that day, inside its intervals and outside its
breaks); overlaps are refused by the appointments' exclusion constraint on PostgreSQL, and
`verify_through_api` then checks through the gateway that the service sees the rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import Database, utcnow
from clinic_shared.events import new_event
from scheduling import counters
from scheduling.appointments import journal, rules
from scheduling.appointments.booking import NUMBER_COUNTER, PatientData, Slot, place, set_patient
from scheduling.appointments.context import Actor, Context, make_context
from scheduling.appointments.models import Appointment, AppointmentHistory
from scheduling.appointments.schemas import PatientIn
from scheduling.appointments.service import typed_patient
from scheduling.directories.models import Doctor
from scheduling.events import PRODUCER, OutboxPublisher, appointment_state
from scheduling.localtime import local_date
from scheduling.models import EVENTS
from scheduling.schedules import rules as schedule_rules
from scheduling.schedules import service as schedules
from scheduling.schedules.models import WorkSchedule
from scheduling.settings import SchedulingSettings

CHUNK = 1_000


@dataclass(frozen=True)
class SeedItem:
    """One appointment to seed: a doctor's slot and the primary patient typed in for it."""

    doctor_id: uuid.UUID
    start: dt.datetime
    minutes: int
    patient: PatientIn


class SeedRefused(RuntimeError):
    """A seed slot the service itself would refuse: the benchmark data would not be valid."""


async def seed_appointments(settings: SchedulingSettings, items: Sequence[SeedItem], *, actor: Actor) -> int:
    """Write `items` as booked appointments (with journal and outbox rows); returns the count."""
    if not items:
        return 0
    db = Database(settings)
    try:
        async with db.session() as session:
            ctx = await make_context(session, publisher=OutboxPublisher(), actor=actor, settings=settings)
            doctors = await _doctors(session, {item.doctor_id for item in items})
            days = {local_date(item.start, ctx.tz) for item in items}
            day_schedules = await _schedules(session, set(doctors), min(days), max(days))
            numbers = await _numbers(session, len(items))
            rows: list[Appointment] = []
            history: list[AppointmentHistory] = []
            outbox: list[dict[str, object]] = []
            now = utcnow()
            for item, number in zip(items, numbers, strict=True):
                doctor = doctors.get(item.doctor_id)
                if doctor is None:
                    raise SeedRefused(f"unknown doctor {item.doctor_id}")
                slot = Slot(doctor, None, item.start, item.start + dt.timedelta(minutes=item.minutes))
                schedule = _check_slot(ctx, slot, day_schedules)
                appointment = _appointment(ctx, slot, typed_patient(item.patient, ctx), number)
                rows.append(appointment)
                history.append(
                    AppointmentHistory(
                        id=uuid.uuid4(),
                        appointment_id=appointment.id,
                        version=appointment.version,
                        at=ctx.now,
                        user_id=ctx.actor.user_id,
                        username=ctx.actor.username,
                        action="created",
                        changes=rules.creation(journal.snapshot(appointment)),
                    )
                )
                state = await appointment_state(
                    session, appointment, timezone=settings.timezone, doctor=doctor, schedule=schedule
                )
                envelope = new_event(
                    "appointment.created", state, producer=PRODUCER, aggregate_id=appointment.id, aggregate_version=1
                )
                outbox.append(
                    {
                        "event_id": envelope.id,
                        "event_type": envelope.type,
                        "aggregate_id": envelope.aggregate_id,
                        "payload": envelope.model_dump_json(),
                        "created_at": now,
                        "published_at": now,
                    }
                )
            for start in range(0, len(rows), CHUNK):
                session.add_all(rows[start : start + CHUNK])
                await session.flush()
            for start in range(0, len(history), CHUNK):
                session.add_all(history[start : start + CHUNK])
                await session.flush()
            for start in range(0, len(outbox), CHUNK):
                await session.execute(EVENTS.outbox.insert(), outbox[start : start + CHUNK])
    finally:
        await db.engine.dispose()
    return len(items)


def _appointment(ctx: Context, slot: Slot, patient: PatientData, number: int) -> Appointment:
    """The appointment `booking.book` makes for a typed patient with no services or status."""
    appointment = Appointment(
        id=uuid.uuid4(),
        number=str(number),
        version=1,
        created_at=ctx.now,
        created_by=ctx.actor.user_id,
        created_by_username=ctx.actor.username,
        processed=False,
        deleted=False,
        status_id=None,
        services=[],
    )
    place(appointment, slot)
    set_patient(appointment, patient)
    for name in ("note", "assistant", "agent", "kind_id", "info_source_id", "record_type_id"):
        setattr(appointment, name, None)
    appointment.communication_status_id = None
    ctx.touch(appointment, bump=False)
    return appointment


def _check_slot(ctx: Context, slot: Slot, day_schedules: dict[tuple[uuid.UUID, dt.date], WorkSchedule]) -> WorkSchedule:
    """`booking.check_slot` without its overlap query (the exclusion constraint refuses those)."""
    tz = ctx.tz
    prefs = ctx.prefs
    day = local_date(slot.start, tz)
    problem = rules.booking_window_problem(
        day,
        today=ctx.today,
        past_days=prefs.booking_past_days,
        horizon_days=prefs.booking_horizon_days,
    )
    if problem:
        raise SeedRefused(f"{slot.start}: {problem}")
    schedule = day_schedules.get((slot.doctor.id, day))
    if schedule is None:
        raise SeedRefused(f"{slot.start}: the doctor has no schedule that day")
    windows, breaks = schedules.windows_of(schedule, tz)
    placement = schedule_rules.placement_problem(slot.start, slot.end, windows, breaks)
    if placement is not None:
        raise SeedRefused(f"{slot.start}: {placement}")
    return schedule


async def _doctors(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, Doctor]:
    found = (await session.execute(select(Doctor).where(Doctor.id.in_(ids)))).scalars()
    return {doctor.id: doctor for doctor in found}


async def _schedules(
    session: AsyncSession, doctor_ids: set[uuid.UUID], first: dt.date, last: dt.date
) -> dict[tuple[uuid.UUID, dt.date], WorkSchedule]:
    statement = select(WorkSchedule).where(
        WorkSchedule.doctor_id.in_(doctor_ids), WorkSchedule.work_date.between(first, last)
    )
    found = (await session.execute(statement)).scalars()
    return {(s.doctor_id, s.work_date): s for s in found}


async def _numbers(session: AsyncSession, count: int) -> list[int]:
    """`count` appointment numbers from the counter the service books with."""
    bind = session.bind
    if NUMBER_COUNTER in counters.COUNTERS.sequences and bind.dialect.name == "postgresql":
        result = await session.execute(
            text(f"SELECT nextval('{NUMBER_COUNTER}_seq') FROM generate_series(1, :n)"),  # noqa: S608 - a constant
            {"n": count},
        )
        return [int(n) for n in result.scalars()]
    return list(await counters.allocate(session, NUMBER_COUNTER, count))
