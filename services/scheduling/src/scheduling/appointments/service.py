"""Appointments: book, read, edit/move/resize, copy (SCH-4, SCH-5).

Requests are turned into checked values here (directories, the patient, the services), and
every slot goes through `booking.check_slot`. Each change bumps the version, is journaled
field by field and queues its event in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from clinic_shared.concurrency import check_body_version
from clinic_shared.errors import NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.phones import InvalidPhone, normalize_phone
from clinic_shared.service import ServiceRuntime
from scheduling.appointments import booking, journal, rules, statuses
from scheduling.appointments.booking import NewAppointment, PatientData, ServiceLine, Slot
from scheduling.appointments.context import Context
from scheduling.appointments.models import Appointment, AppointmentServiceLine
from scheduling.appointments.repository import AppointmentRepository
from scheduling.appointments.schemas import (
    AppointmentCreate,
    AppointmentUpdate,
    CopyRequest,
    PatientIn,
    ServiceLineIn,
)
from scheduling.directories import service as directories
from scheduling.directories.models import (
    AppointmentKind,
    AppointmentStatus,
    Cabinet,
    CommunicationStatus,
    Doctor,
    InfoSource,
    PriceService,
    RecordType,
)
from scheduling.directories.repository import existing_ids
from scheduling.events import AppointmentEvent, publish_appointment
from scheduling.names import clean_name
from scheduling.patients import service as patients

log = get_logger(__name__)
DOCTOR_WITH_SPECIALIZATIONS = joinedload(Doctor.specializations)

# Optional references of an appointment: body field → (directory model, label).
REFERENCES: dict[str, tuple[type[Any], str]] = {
    "kind_id": (AppointmentKind, "appointment kind"),
    "info_source_id": (InfoSource, "information source"),
    "record_type_id": (RecordType, "record type"),
    "communication_status_id": (CommunicationStatus, "communication status"),
}


async def get_appointment(session: AsyncSession, appointment_id: uuid.UUID, *, for_update: bool = False) -> Appointment:
    """An appointment by id, in the trash or not; 404 when there is none."""
    appointment = await AppointmentRepository(session).get(appointment_id, for_update=for_update)
    if appointment is None:
        raise NotFound(f"No appointment {appointment_id}.")
    return appointment


async def create_appointment(
    ctx: Context, data: AppointmentCreate, *, runtime: ServiceRuntime | None, authorization: str | None
) -> Appointment:
    """Book a slot for a card or for a primary patient typed in by hand."""
    patient = await resolve_patient(
        ctx, patient_id=data.patient_id, typed=data.patient, runtime=runtime, authorization=authorization
    )
    slot = await slot_of(
        ctx,
        doctor_id=data.doctor_id,
        cabinet_id=data.cabinet_id,
        start=data.start,
        end=data.end,
        duration_minutes=data.duration_minutes,
        overbook=data.overbook,
        default_length=timedelta(minutes=ctx.prefs.grid_step_minutes),
    )
    new = NewAppointment(
        slot=slot,
        patient=patient,
        lines=await service_lines(ctx, data.services),
        note=data.note,
        assistant=data.assistant,
        agent=data.agent,
        status=await _status(ctx, data.status_id),
        **await references(ctx, data.model_dump(include=set(REFERENCES))),
    )
    return await booking.book(ctx, new)


async def update_appointment(ctx: Context, appointment_id: uuid.UUID, data: AppointmentUpdate) -> Appointment:
    """Change what was sent; a move or resize is checked like a new booking, excluding itself."""
    sent = data.model_dump(exclude_unset=True)
    if "processed" in sent:
        raise ValidationFailed.field("processed", "is set only by a status that marks appointments processed")
    appointment = await get_appointment(ctx.session, appointment_id, for_update=True)
    # The body's `version` is a precondition too (for clients that cannot set If-Match): with
    # it, If-Match is not required, but checked when sent as well.
    check_body_version(data.version, appointment)
    if data.version is None or (ctx.precondition is not None and ctx.precondition.if_match is not None):
        ctx.check_version(appointment)
    statuses.refuse_if_deleted(appointment)
    for name in ("doctor_id", "start"):
        if name in sent and sent[name] is None:
            raise ValidationFailed.field(name, "must not be null")
    before = journal.snapshot(appointment)
    moved = bool({"doctor_id", "cabinet_id", "start", "end", "duration_minutes"} & sent.keys()) or bool(
        sent.get("overbook")
    )
    slot = None
    if moved:
        slot = await _moved_slot(ctx, appointment, data, sent)
        await booking.check_slot(ctx, slot, exclude_id=appointment.id)
    refs = await references(ctx, {k: v for k, v in sent.items() if k in REFERENCES})
    lines = await service_lines(ctx, data.services) if "services" in sent and data.services is not None else None
    new_status = await _status(ctx, data.status_id) if sent.get("status_id") else None
    patient = None
    if "patient" in sent and data.patient is not None:
        if not appointment.is_primary:
            raise ValidationFailed.field("patient", "the appointment is linked to a card: edit the card instead")
        patient = typed_patient(data.patient, ctx)
    status_changed = new_status is not None and new_status.id != appointment.status_id

    def apply() -> None:
        if slot is not None:
            booking.place(appointment, slot)
        if patient is not None:
            booking.set_patient(appointment, patient)
        for name, value in refs.items():
            setattr(appointment, name, value)
        for name in ("note", "assistant", "agent"):
            if name in sent:
                setattr(appointment, name, sent[name])
        if lines is not None:
            _replace_lines(appointment, lines)
        if status_changed:
            assert new_status is not None
            statuses.apply_status(ctx.session, appointment, new_status, ctx.actor)
        if rules.diff(before, journal.snapshot(appointment)):
            ctx.touch(appointment)

    if slot is not None:
        await booking.write_in_slot(ctx, slot, appointment.id, apply)
    else:
        with ctx.session.no_autoflush:
            apply()
        await ctx.session.flush()
    changes = rules.diff(before, journal.snapshot(appointment))
    if not changes:
        return appointment
    moved_fields = journal.SLOT_FIELDS & {c["field"] for c in changes}
    action = "moved" if moved_fields else "updated"
    await journal.record(
        ctx.session,
        appointment,
        action=action,
        changes=changes,
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
        known=ctx.loaded,
    )
    if slot is not None and slot.overbook:
        await booking.journal_overbook(ctx, appointment)
    event: AppointmentEvent = "appointment.status_changed" if status_changed else "appointment.updated"
    await publish_appointment(ctx.publisher, ctx.session, event, appointment, timezone=ctx.settings.timezone)
    log.info("scheduling.appointment.updated", appointment_id=str(appointment.id), version=appointment.version)
    return appointment


async def copy_appointment(ctx: Context, appointment_id: uuid.UUID, data: CopyRequest) -> Appointment:
    """The same patient and services at another time and/or with another doctor."""
    source = await get_appointment(ctx.session, appointment_id)
    doctor_id = data.doctor_id or source.doctor_id
    cabinet_id = (
        data.cabinet_id
        if "cabinet_id" in data.model_fields_set
        else (source.cabinet_id if doctor_id == source.doctor_id else None)
    )
    slot = await slot_of(
        ctx,
        doctor_id=doctor_id,
        cabinet_id=cabinet_id,
        start=data.start,
        end=data.end,
        duration_minutes=data.duration_minutes,
        overbook=data.overbook,
        default_length=_length(source),
    )
    new = NewAppointment(
        slot=slot,
        patient=PatientData.copied_from(source),
        lines=[ServiceLine(line.service_id, line.quantity, line.price) for line in source.services],
        note=source.note,
        assistant=source.assistant,
        agent=source.agent,
        kind_id=source.kind_id,
        info_source_id=source.info_source_id,
        record_type_id=source.record_type_id,
        origin=[{"field": "copied_from", "from": None, "to": source.number}],
    )
    return await booking.book(ctx, new)


async def slot_of(
    ctx: Context,
    *,
    doctor_id: uuid.UUID,
    cabinet_id: uuid.UUID | None,
    start: Any,
    end: Any,
    duration_minutes: int | None,
    overbook: bool,
    default_length: timedelta,
) -> Slot:
    """A slot from request values: active doctor and cabinet, a valid period.

    Without `end` and `duration_minutes` the appointment lasts `default_length` (the grid
    step for a new one, its old length for a move or copy).
    """
    # One query with the specializations (the event carries them), not two.
    doctor = await directories.require_item(
        ctx.session, Doctor, doctor_id, field="doctor_id", label="doctor", options=[DOCTOR_WITH_SPECIALIZATIONS]
    )
    cabinet = await directories.optional_item(ctx.session, Cabinet, cabinet_id, field="cabinet_id", label="cabinet")
    ctx.loaded += (doctor, cabinet)
    if end is None and duration_minutes is None:
        end = start + default_length
    resolved_end = rules.resolve_end(start, end, duration_minutes, default_minutes=0)
    return Slot(doctor, cabinet, start, resolved_end, overbook)


async def resolve_patient(
    ctx: Context,
    *,
    patient_id: uuid.UUID | None,
    typed: PatientIn | None,
    runtime: ServiceRuntime | None,
    authorization: str | None,
) -> PatientData:
    """Exactly one of a card (`patient_id`) and a patient typed in by hand (primary)."""
    if (patient_id is None) == (typed is None):
        raise ValidationFailed.field("patient_id", "give exactly one of patient_id and patient")
    if patient_id is not None:
        card = await patients.card_for_booking(
            ctx.session, runtime=runtime, patient_id=patient_id, authorization=authorization
        )
        return PatientData.of_card(card)
    assert typed is not None
    return typed_patient(typed, ctx)


def typed_patient(data: PatientIn, ctx: Context) -> PatientData:
    """A primary patient typed in by hand: cleaned names, normalised phone, a sane birth date."""
    phone = None
    if data.mobile_phone:
        try:
            phone = normalize_phone(data.mobile_phone, ctx.settings.phone_region)
        except InvalidPhone as exc:
            raise ValidationFailed.field("patient.mobile_phone", str(exc)) from exc
    if data.birth_date is not None and data.birth_date > ctx.today:
        raise ValidationFailed.field("patient.birth_date", "must not be in the future")
    last_name, first_name = clean_name(data.last_name), clean_name(data.first_name)
    assert last_name and first_name  # the schema requires them non-empty
    return PatientData(None, last_name, first_name, clean_name(data.middle_name), phone, data.birth_date)


async def service_lines(ctx: Context, lines: list[ServiceLineIn]) -> list[ServiceLine]:
    """Price-list services of a booking; the list price unless another is given."""
    result = []
    found = await existing_ids(ctx.session, PriceService, list({line.service_id for line in lines}))  # one read
    for index, line in enumerate(lines):
        service = directories.checked_item(
            found.get(line.service_id), field=f"services.{index}.service_id", label="service"
        )
        ctx.loaded.append(service)
        result.append(ServiceLine(service.id, line.quantity, line.price if line.price is not None else service.price))
    return result


async def references(ctx: Context, values: dict[str, Any]) -> dict[str, Any]:
    """Check the optional directory references sent (active items only); null clears one."""
    for name, value in values.items():
        if value is not None:
            model, label = REFERENCES[name]
            ctx.loaded.append(await directories.require_item(ctx.session, model, value, field=name, label=label))
    return values


async def _status(ctx: Context, status_id: uuid.UUID | None) -> AppointmentStatus | None:
    status = await directories.optional_item(
        ctx.session, AppointmentStatus, status_id, field="status_id", label="appointment status"
    )
    ctx.loaded.append(status)
    return status


async def _moved_slot(ctx: Context, appointment: Appointment, data: AppointmentUpdate, sent: dict[str, Any]) -> Slot:
    # A move keeps the length; a resize sends end or duration_minutes.
    return await slot_of(
        ctx,
        doctor_id=data.doctor_id or appointment.doctor_id,
        cabinet_id=data.cabinet_id if "cabinet_id" in sent else appointment.cabinet_id,
        start=data.start or appointment.start_at,
        end=data.end,
        duration_minutes=data.duration_minutes,
        overbook=bool(data.overbook),
        default_length=_length(appointment),
    )


def _length(appointment: Appointment) -> timedelta:
    return appointment.end_at - appointment.start_at


def _replace_lines(appointment: Appointment, lines: list[ServiceLine]) -> None:
    appointment.services = [
        AppointmentServiceLine(
            id=uuid.uuid4(), service_id=line.service_id, quantity=line.quantity, price=line.price, position=index
        )
        for index, line in enumerate(lines)
    ]
