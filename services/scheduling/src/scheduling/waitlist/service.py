"""The waiting list (лист ожидания, SCH-7): entries, moving an appointment in, booking one out.

Moving an appointment to the list and booking an entry into a slot are each one
transaction: the appointment leaves the schedule exactly when the entry appears, and the
entry disappears exactly when its appointment is booked. Each change publishes its
`waitlist_entry.created|deleted|booked` in that transaction (scheduling/events.py), so
another desk's list refreshes (the gateway's live stream).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from scheduling.appointments import booking, statuses, trash
from scheduling.appointments import service as appointments
from scheduling.appointments.booking import NewAppointment, PatientData, ServiceLine
from scheduling.appointments.context import Context
from scheduling.appointments.models import Appointment
from scheduling.directories import service as directories
from scheduling.directories.models import Doctor, PriceService, Specialization
from scheduling.events import Publisher, publish_waitlist_entry
from scheduling.localtime import clock_minutes
from scheduling.names import full_name
from scheduling.patients import service as patients
from scheduling.phones import whatsapp_url, with_country_code
from scheduling.waitlist.models import WaitlistEntry
from scheduling.waitlist.repository import WaitlistRepository
from scheduling.waitlist.schemas import (
    ToWaitlist,
    WaitlistBook,
    WaitlistCreate,
    WaitlistRead,
    WaitlistServiceRead,
    Wish,
)

log = get_logger(__name__)
MOVED_TO_WAITLIST = "moved to the waiting list"


async def get_entry(session: AsyncSession, entry_id: uuid.UUID) -> WaitlistEntry:
    """An entry by id; 404 when there is none."""
    entry = await WaitlistRepository(session).get(entry_id)
    if entry is None:
        raise NotFound(f"No waiting-list entry {entry_id}.")
    return entry


async def create_entry(
    ctx: Context, data: WaitlistCreate, *, runtime: ServiceRuntime | None, authorization: str | None
) -> WaitlistEntry:
    """Put a patient (a card or typed in) on the waiting list."""
    patient = await appointments.resolve_patient(
        ctx, patient_id=data.patient_id, typed=data.patient, runtime=runtime, authorization=authorization
    )
    _check_wish(data)
    await directories.optional_item(ctx.session, Doctor, data.doctor_id, field="doctor_id", label="doctor")
    await directories.optional_item(
        ctx.session, Specialization, data.specialization_id, field="specialization_id", label="specialization"
    )
    refs = await appointments.references(
        ctx, data.model_dump(include=set(appointments.REFERENCES) - {"communication_status_id"})
    )
    lines = await appointments.service_lines(ctx, data.services)
    entry = _new_entry(ctx, patient, data)
    entry.doctor_id = data.doctor_id
    entry.specialization_id = data.specialization_id
    entry.duration_minutes = data.duration_minutes
    entry.services = _lines_json(lines)
    for name, value in refs.items():
        setattr(entry, name, value)
    ctx.session.add(entry)
    await ctx.session.flush()
    await publish_waitlist_entry(ctx.publisher, ctx.session, "waitlist_entry.created", entry)
    log.info("scheduling.waitlist.created", entry_id=str(entry.id))
    return entry


async def move_appointment(ctx: Context, appointment_id: uuid.UUID, data: ToWaitlist) -> WaitlistEntry:
    """Take an appointment off the schedule into a waiting-list entry (one transaction)."""
    appointment = await appointments.get_appointment(ctx.session, appointment_id, for_update=True)
    ctx.check_version(appointment)
    statuses.refuse_if_deleted(appointment)
    _check_wish(data)
    entry = _new_entry(ctx, PatientData.copied_from(appointment), data)
    entry.doctor_id = appointment.doctor_id
    entry.duration_minutes = int((appointment.end_at - appointment.start_at) / timedelta(minutes=1)) or None
    entry.services = [
        {"service_id": str(line.service_id), "quantity": line.quantity, "price": str(line.price)}
        for line in appointment.services
    ]
    entry.kind_id = appointment.kind_id
    entry.info_source_id = appointment.info_source_id
    entry.record_type_id = appointment.record_type_id
    entry.source_appointment_id = appointment.id
    ctx.session.add(entry)
    await trash.move_to_trash(ctx, appointment, reason_id=None, note=MOVED_TO_WAITLIST)
    await publish_waitlist_entry(ctx.publisher, ctx.session, "waitlist_entry.created", entry)
    log.info("scheduling.waitlist.moved_in", entry_id=str(entry.id), appointment_id=str(appointment.id))
    return entry


async def book_entry(
    ctx: Context,
    entry_id: uuid.UUID,
    data: WaitlistBook,
    *,
    runtime: ServiceRuntime | None,
    authorization: str | None,
) -> Appointment:
    """Book the entry into a slot with the usual checks; the entry is removed with it."""
    entry = await get_entry(ctx.session, entry_id)
    doctor_id = data.doctor_id or entry.doctor_id
    if doctor_id is None:
        raise ValidationFailed.field("doctor_id", "the entry names no doctor: choose one")
    if entry.patient_id is not None:
        card = await patients.card_for_booking(
            ctx.session, runtime=runtime, patient_id=entry.patient_id, authorization=authorization
        )
        patient = PatientData.of_card(card)
    else:
        patient = PatientData.copied_from(entry)
    minutes = entry.duration_minutes or ctx.prefs.grid_step_minutes
    slot = await appointments.slot_of(
        ctx,
        doctor_id=doctor_id,
        cabinet_id=data.cabinet_id,
        start=data.start,
        end=data.end,
        duration_minutes=data.duration_minutes,
        overbook=data.overbook,
        default_length=timedelta(minutes=minutes),
    )
    lines = []
    for index, line in enumerate(entry.services):
        service = await directories.require_item(
            ctx.session,
            PriceService,
            uuid.UUID(line["service_id"]),
            field=f"services.{index}.service_id",
            label="service",
        )
        lines.append(ServiceLine(service.id, int(line["quantity"]), Decimal(line["price"])))
    new = NewAppointment(
        slot=slot,
        patient=patient,
        lines=lines,
        note=entry.note,
        kind_id=entry.kind_id,
        info_source_id=entry.info_source_id,
        record_type_id=entry.record_type_id,
        origin=[{"field": "waitlist_entry_id", "from": None, "to": str(entry.id)}],
    )
    appointment = await booking.book(ctx, new)
    await publish_waitlist_entry(
        ctx.publisher, ctx.session, "waitlist_entry.booked", entry, appointment_id=appointment.id
    )
    await ctx.session.delete(entry)
    await ctx.session.flush()
    log.info("scheduling.waitlist.booked", entry_id=str(entry_id), appointment_id=str(appointment.id))
    return appointment


async def delete_entry(session: AsyncSession, entry_id: uuid.UUID, *, publisher: Publisher) -> None:
    """Remove an entry (the patient no longer waits)."""
    entry = await get_entry(session, entry_id)
    await publish_waitlist_entry(publisher, session, "waitlist_entry.deleted", entry)
    await session.delete(entry)
    await session.flush()


@dataclass(frozen=True)
class Versioned:
    """An entry's version for its ETag: entries are never edited, so when it was made."""

    updated_at: datetime


def versioned(entry: WaitlistEntry) -> Versioned:
    return Versioned(entry.created_at)


def present(entry: WaitlistEntry) -> WaitlistRead:
    """An entry as the API shows it."""
    return WaitlistRead(
        id=entry.id,
        patient_id=entry.patient_id,
        is_primary=entry.patient_id is None,
        last_name=entry.last_name,
        first_name=entry.first_name,
        middle_name=entry.middle_name,
        patient_name=full_name(entry.last_name, entry.first_name, entry.middle_name),
        mobile_phone=entry.mobile_phone,
        phone_with_country_code=with_country_code(entry.mobile_phone),
        whatsapp_url=whatsapp_url(entry.mobile_phone),
        birth_date=entry.birth_date,
        doctor_id=entry.doctor_id,
        specialization_id=entry.specialization_id,
        wished_date=entry.wished_date,
        wished_time_from=entry.wished_time_from,
        wished_time_to=entry.wished_time_to,
        duration_minutes=entry.duration_minutes,
        note=entry.note,
        services=[WaitlistServiceRead.model_validate(line) for line in entry.services],
        kind_id=entry.kind_id,
        info_source_id=entry.info_source_id,
        record_type_id=entry.record_type_id,
        source_appointment_id=entry.source_appointment_id,
        created_at=entry.created_at,
        created_by_username=entry.created_by_username,
    )


def _check_wish(data: Wish) -> None:
    times = {}
    for name in ("wished_time_from", "wished_time_to"):
        value = getattr(data, name)
        if value is not None:
            try:
                times[name] = clock_minutes(value)
            except ValueError as exc:
                raise ValidationFailed.field(name, str(exc)) from exc
    if len(times) == 2 and times["wished_time_to"] <= times["wished_time_from"]:
        raise ValidationFailed.field("wished_time_to", "must be after wished_time_from")


def _new_entry(ctx: Context, patient: PatientData, wish: Wish) -> WaitlistEntry:
    return WaitlistEntry(
        id=uuid.uuid4(),
        patient_id=patient.patient_id,
        last_name=patient.last_name,
        first_name=patient.first_name,
        middle_name=patient.middle_name,
        mobile_phone=patient.mobile_phone,
        birth_date=patient.birth_date,
        wished_date=wish.wished_date,
        wished_time_from=wish.wished_time_from,
        wished_time_to=wish.wished_time_to,
        note=wish.note,
        services=[],
        created_at=ctx.now,
        created_by=ctx.actor.user_id,
        created_by_username=ctx.actor.username,
    )


def _lines_json(lines: list[ServiceLine]) -> list[dict[str, Any]]:
    return [{"service_id": str(line.service_id), "quantity": line.quantity, "price": str(line.price)} for line in lines]
