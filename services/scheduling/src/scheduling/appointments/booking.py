"""Booking a slot: the checks every booking, move, copy and restore goes through (SCH-4).

Order of the checks: the booking window (422), the doctor's working day and breaks (409),
the cabinet's working day and breaks when the cabinet has a schedule that day (409, the same
reasons, naming `cabinet_id`), then overlaps with active appointments of the same doctor or
cabinet (409 naming them). An explicit, authorised overbook skips only the overlaps: working
time and breaks, the doctor's and the cabinet's alike, always hold.

Atomicity: on SQLite writers are serialised (BEGIN IMMEDIATE), so check-then-write cannot
interleave. On PostgreSQL two bookings may both pass the check; the exclusion constraints
then keep one, and the other's violation becomes the same 409 (`write_in_slot`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from clinic_shared.errors import Conflict, Forbidden, ValidationFailed
from clinic_shared.logging import get_logger
from scheduling import counters, rights
from scheduling.appointments import journal, rules, statuses
from scheduling.appointments.context import Context
from scheduling.appointments.models import (
    CABINET_OVERLAP_CONSTRAINT,
    DOCTOR_OVERLAP_CONSTRAINT,
    Appointment,
    AppointmentServiceLine,
)
from scheduling.appointments.repository import AppointmentRepository
from scheduling.directories.models import AppointmentStatus, Cabinet, Doctor
from scheduling.events import publish_appointment
from scheduling.localtime import local_date
from scheduling.names import normalize_for_search
from scheduling.patients.models import PatientProjection
from scheduling.problem_types import BOOKING_WINDOW, PLACEMENT_CODES
from scheduling.schedules import rules as schedule_rules
from scheduling.schedules import service as schedules
from scheduling.schedules.models import WorkSchedule
from scheduling.schedules.repository import ScheduleRepository
from scheduling.waitlist.models import WaitlistEntry

log = get_logger(__name__)
NUMBER_COUNTER = "appointment_number"
EXCLUSION_VIOLATION = "23P01"


@dataclass(frozen=True)
class Slot:
    """Where and when: a doctor, maybe a cabinet, and [start, end)."""

    doctor: Doctor
    cabinet: Cabinet | None
    start: datetime
    end: datetime
    overbook: bool = False

    @property
    def building_id(self) -> uuid.UUID | None:
        """The cabinet's building, else the doctor's."""
        if self.cabinet is not None and self.cabinet.building_id is not None:
            return self.cabinet.building_id
        return self.doctor.building_id


@dataclass(frozen=True)
class PatientData:
    """The patient of a booking: a card's copy, or typed in (primary, no `patient_id`)."""

    patient_id: uuid.UUID | None
    last_name: str
    first_name: str
    middle_name: str | None = None
    mobile_phone: str | None = None
    birth_date: date | None = None

    @classmethod
    def of_card(cls, card: PatientProjection) -> PatientData:
        """A card's data, as scheduling knows it."""
        return cls(card.id, card.last_name, card.first_name, card.middle_name, card.mobile_phone, card.birth_date)

    @classmethod
    def copied_from(cls, source: Appointment | WaitlistEntry) -> PatientData:
        """The patient of an appointment or a waiting-list entry."""
        return cls(
            source.patient_id,
            source.last_name,
            source.first_name,
            source.middle_name,
            source.mobile_phone,
            source.birth_date,
        )


@dataclass(frozen=True)
class ServiceLine:
    service_id: uuid.UUID
    quantity: int
    price: Decimal


@dataclass
class NewAppointment:
    """Everything a new appointment is made of, already checked against the directories."""

    slot: Slot
    patient: PatientData
    lines: list[ServiceLine] = field(default_factory=list)
    note: str | None = None
    assistant: str | None = None
    agent: str | None = None
    kind_id: uuid.UUID | None = None
    info_source_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None
    communication_status_id: uuid.UUID | None = None
    status: AppointmentStatus | None = None
    # Extra journal lines of the creation, e.g. where a copy came from.
    origin: list[dict[str, Any]] = field(default_factory=list)


async def check_slot(ctx: Context, slot: Slot, *, exclude_id: uuid.UUID | None = None) -> WorkSchedule:
    """Refuse a slot out of the booking window, out of working time, in a break or taken.

    Returns the doctor's schedule of the day (what the appointment's event names)."""
    if slot.overbook and not ctx.actor.can_overbook:
        raise Forbidden(
            f"The right '{rights.OVERBOOK}' is required to overbook.",
            code="overbook-not-allowed",
            missing_right=rights.OVERBOOK,
        )
    start_date = local_date(slot.start, ctx.tz)
    problem = rules.booking_window_problem(
        start_date, today=ctx.today, past_days=ctx.prefs.booking_past_days, horizon_days=ctx.prefs.booking_horizon_days
    )
    if problem:
        error = ValidationFailed.field("start", problem, "booking_window")
        error.code = BOOKING_WINDOW
        raise error
    schedule = await ScheduleRepository(ctx.session).of_owner(
        doctor_id=slot.doctor.id, cabinet_id=None, work_date=start_date, shared=True
    )
    if schedule is None:
        raise Conflict(
            rules.PLACEMENT_DETAILS["no_schedule"], code="outside-working-hours", reason="outside_working_hours"
        )
    windows, breaks = schedules.windows_of(schedule, ctx.tz)
    placement = schedule_rules.placement_problem(slot.start, slot.end, windows, breaks)
    if placement is not None:
        raise Conflict(rules.PLACEMENT_DETAILS[placement], code=PLACEMENT_CODES[placement], reason=placement)
    if slot.cabinet is not None:
        await check_cabinet_day(ctx, slot, slot.cabinet, start_date)
    if not slot.overbook:
        taken = await AppointmentRepository(ctx.session).overlapping(
            doctor_id=slot.doctor.id,
            cabinet_id=_cabinet_id(slot),
            start=slot.start,
            end=slot.end,
            exclude_id=exclude_id,
        )
        if taken:
            raise overlap_conflict(taken)
    return schedule


async def check_cabinet_day(ctx: Context, slot: Slot, cabinet: Cabinet, start_date: date) -> None:
    """Refuse a slot outside the cabinet's working time or in its break, when it has a schedule that day."""
    cabinet_schedule = await ScheduleRepository(ctx.session).of_owner(
        doctor_id=None, cabinet_id=cabinet.id, work_date=start_date, shared=True
    )
    day = schedules.windows_of(cabinet_schedule, ctx.tz) if cabinet_schedule is not None else None
    placement = schedule_rules.cabinet_placement_problem(slot.start, slot.end, day)
    if placement is not None:
        raise Conflict(
            rules.CABINET_PLACEMENT_DETAILS[placement],
            code=PLACEMENT_CODES[placement],
            reason=placement,
            cabinet_id=str(cabinet.id),
        )


def overlap_conflict(taken: list[uuid.UUID]) -> Conflict:
    """409 naming the appointments that hold the time."""
    return Conflict(
        "The time overlaps another appointment of the same doctor or cabinet.",
        code="slot-taken",
        reason="overlap",
        conflicts=[str(i) for i in taken],
    )


async def write_in_slot(ctx: Context, slot: Slot, appointment_id: uuid.UUID, apply: Callable[[], None]) -> None:
    """Apply a change that takes `slot` and write it; a lost race (exclusion violation) is a 409.

    No savepoint around the write (it cost two round trips on every booking for a race that is
    rare): a violation aborts the transaction, and the request fails with the 409 anyway. The
    transaction is rolled back first, so the appointments that won can be looked up and named.
    """
    doctor_id, cabinet_id = slot.doctor.id, _cabinet_id(slot)
    try:
        apply()
        await ctx.session.flush()
    except IntegrityError as exc:
        if not _is_overlap(exc):
            raise
        await ctx.session.rollback()
        taken = await AppointmentRepository(ctx.session).overlapping(
            doctor_id=doctor_id, cabinet_id=cabinet_id, start=slot.start, end=slot.end, exclude_id=appointment_id
        )
        log.info("scheduling.appointment.race_lost", conflicts=len(taken))
        raise overlap_conflict(taken) from exc


async def book(ctx: Context, new: NewAppointment) -> Appointment:
    """Create an appointment in a checked slot: number, journal, status history, event."""
    schedule = await check_slot(ctx, new.slot)
    number = await counters.next_value(ctx.session, NUMBER_COUNTER)
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
    place(appointment, new.slot)
    set_patient(appointment, new.patient)
    appointment.services = [
        AppointmentServiceLine(
            id=uuid.uuid4(), service_id=line.service_id, quantity=line.quantity, price=line.price, position=index
        )
        for index, line in enumerate(new.lines)
    ]
    for name in (
        "note",
        "assistant",
        "agent",
        "kind_id",
        "info_source_id",
        "record_type_id",
        "communication_status_id",
    ):
        setattr(appointment, name, getattr(new, name))
    ctx.touch(appointment, bump=False)
    await write_in_slot(ctx, new.slot, appointment.id, lambda: ctx.session.add(appointment))
    if new.status is not None:
        statuses.apply_status(ctx.session, appointment, new.status, ctx.actor)
    await ctx.session.flush()
    changes = rules.creation(journal.snapshot(appointment)) + new.origin
    await journal.record(
        ctx.session,
        appointment,
        action="created",
        changes=changes,
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
        known=ctx.loaded,
    )
    if new.slot.overbook:
        await journal_overbook(ctx, appointment)
    await publish_appointment(
        ctx.publisher,
        ctx.session,
        "appointment.created",
        appointment,
        timezone=ctx.settings.timezone,
        doctor=new.slot.doctor,
        schedule=schedule,
    )
    log.info("scheduling.appointment.created", appointment_id=str(appointment.id), number=appointment.number)
    return appointment


def place(appointment: Appointment, slot: Slot) -> None:
    """Put the appointment into the slot."""
    appointment.doctor_id = slot.doctor.id
    appointment.cabinet_id = _cabinet_id(slot)
    appointment.building_id = slot.building_id
    appointment.start_at = slot.start
    appointment.end_at = slot.end
    appointment.overbooked = slot.overbook


def set_patient(appointment: Appointment, patient: PatientData) -> None:
    """Copy the patient's data (and its search form) into the appointment."""
    appointment.patient_id = patient.patient_id
    appointment.last_name = patient.last_name
    appointment.first_name = patient.first_name
    appointment.middle_name = patient.middle_name
    appointment.mobile_phone = patient.mobile_phone
    appointment.birth_date = patient.birth_date
    appointment.last_name_norm = normalize_for_search(patient.last_name)
    appointment.first_name_norm = normalize_for_search(patient.first_name)
    appointment.middle_name_norm = normalize_for_search(patient.middle_name)


async def journal_overbook(ctx: Context, appointment: Appointment) -> None:
    """Overbooking on purpose is journaled on its own line (SCH-4)."""
    await journal.record(
        ctx.session,
        appointment,
        action="overbooked",
        changes=[{"field": "overbooked", "from": None, "to": True}],
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
    )
    log.info("scheduling.appointment.overbooked", appointment_id=str(appointment.id))


def _cabinet_id(slot: Slot) -> uuid.UUID | None:
    return slot.cabinet.id if slot.cabinet is not None else None


def _is_overlap(exc: IntegrityError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    text = str(exc.orig)
    return code == EXCLUSION_VIOLATION or DOCTOR_OVERLAP_CONSTRAINT in text or CABINET_OVERLAP_CONSTRAINT in text
