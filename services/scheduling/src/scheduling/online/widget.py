"""The public widget API (SCH-13): online doctors, services with prices, booking and cancelling.

Nothing here returns another patient's data: answers carry doctors, services, prices and
free times only, and a booking answer describes the booking just made; a booking refused
because the time is taken says only that (never which appointment holds it, as the staff
API's 409 does). A cancellation must name the phone the booking was made with; any mismatch
is a plain 404, so the endpoint cannot be used to learn whether an appointment exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.phones import InvalidPhone, normalize_phone
from scheduling.appointments import booking, linking, trash
from scheduling.appointments import service as appointments
from scheduling.appointments.booking import NewAppointment, PatientData, ServiceLine
from scheduling.appointments.context import Context
from scheduling.appointments.models import Appointment
from scheduling.appointments.repository import AppointmentRepository
from scheduling.appointments.schemas import PatientIn
from scheduling.directories import service as directories
from scheduling.directories.models import Building, Doctor, PriceService
from scheduling.online import pricing
from scheduling.online import service as setup
from scheduling.online.models import OnlineLink
from scheduling.online.schemas import (
    OnlineBooked,
    OnlineBooking,
    PriceQuote,
    PublicDoctor,
    PublicOffer,
    PublicService,
    PublicSpecialization,
)
from scheduling.patients import matching
from scheduling.patients.models import PatientProjection
from scheduling.problem_types import PLACEMENT_CODES

log = get_logger(__name__)
ONLINE_RECORD_TYPE = "online"
# The widget's 409 per reason of the booking checks: the reason and a sentence, nothing more.
PUBLIC_CONFLICTS = {
    "overlap": "The time is already taken; choose another free slot.",
    "outside_working_hours": "The doctor does not see patients at this time; choose another free slot.",
    "in_break": "The doctor has a break at this time; choose another free slot.",
}
UNAVAILABLE = "The time cannot be booked; choose another free slot."


async def online_doctors(session: AsyncSession) -> Sequence[Doctor]:
    """Active doctors who take online bookings, by name."""
    statement = (
        select(Doctor)
        .where(Doctor.active.is_(True), Doctor.online_booking.is_(True))
        .order_by(Doctor.last_name, Doctor.first_name, Doctor.middle_name, Doctor.id)
    )
    return (await session.execute(statement)).scalars().all()


async def present_doctors(session: AsyncSession, doctors: Sequence[Doctor]) -> list[PublicDoctor]:
    """Doctors as the widget shows them: name, specializations and building only."""
    building_ids = {d.building_id for d in doctors if d.building_id is not None}
    buildings = {}
    if building_ids:
        rows = await session.execute(select(Building).where(Building.id.in_(building_ids)))
        buildings = {b.id: b.name for b in rows.scalars()}
    return [
        PublicDoctor(
            id=d.id,
            name=d.name,
            specializations=[PublicSpecialization(id=s.id, name=s.name) for s in d.specializations if s.active],
            building_id=d.building_id,
            building=buildings.get(d.building_id) if d.building_id else None,
        )
        for d in doctors
    ]


def price_quote(link: OnlineLink, general_discount: Decimal) -> PriceQuote:
    """The widget's price quote of a link under the general discount."""
    q = pricing.quote(setup.as_pricing(link), general_discount)
    return PriceQuote(
        mode=q.mode,
        full_price=q.full_price,
        price=q.price,
        price_with_prepayment=q.price_with_prepayment,
        prepayment=q.prepayment,
        due_at_clinic=q.due_at_clinic,
    )


async def online_services(session: AsyncSession) -> list[PublicService]:
    """Active services linked to online doctors, each with its modes and per-doctor quotes."""
    discount = (await setup.settings_row(session)).general_discount_percent
    statement = (
        select(OnlineLink, PriceService)
        .join(PriceService, PriceService.id == OnlineLink.service_id)
        .join(Doctor, Doctor.id == OnlineLink.doctor_id)
        .where(PriceService.active.is_(True), Doctor.active.is_(True), Doctor.online_booking.is_(True))
        .order_by(PriceService.name, PriceService.id, Doctor.last_name, Doctor.first_name, Doctor.id)
    )
    found: dict[uuid.UUID, PublicService] = {}
    for link, item in (await session.execute(statement)).all():
        entry = found.setdefault(
            item.id,
            PublicService(id=item.id, name=item.name, duration_minutes=item.duration_minutes, modes=[], offers=[]),
        )
        if link.mode not in entry.modes:
            entry.modes.append(link.mode)
        entry.offers.append(PublicOffer(doctor_id=link.doctor_id, quote=price_quote(link, discount)))
    return list(found.values())


async def _online_doctor(session: AsyncSession, doctor_id: uuid.UUID) -> Doctor:
    doctor = await session.get(Doctor, doctor_id)
    if doctor is None or not doctor.active or not doctor.online_booking:
        raise ValidationFailed.field("doctor_id", "no such doctor taking online bookings")
    return doctor


async def _link(session: AsyncSession, doctor_id: uuid.UUID, service_id: uuid.UUID) -> tuple[OnlineLink, PriceService]:
    row = (
        await session.execute(
            select(OnlineLink, PriceService)
            .join(PriceService, PriceService.id == OnlineLink.service_id)
            .where(OnlineLink.doctor_id == doctor_id, OnlineLink.service_id == service_id)
            .where(PriceService.active.is_(True))
        )
    ).first()
    if row is None:
        raise ValidationFailed.field("service_id", "the doctor does not offer this service online")
    return row[0], row[1]


async def book(ctx: Context, data: OnlineBooking) -> OnlineBooked:
    """Book from the widget: record type "online", the same slot checks as at the front desk."""
    doctor = await _online_doctor(ctx.session, data.doctor_id)
    minutes = data.duration_minutes
    lines: list[ServiceLine] = []
    quote = None
    if data.service_id is not None:
        link, item = await _link(ctx.session, doctor.id, data.service_id)
        discount = (await setup.settings_row(ctx.session)).general_discount_percent
        quote = price_quote(link, discount)
        price = pricing.discounted_price(setup.as_pricing(link), discount)
        lines.append(ServiceLine(item.id, 1, price if price is not None else item.price))
        minutes = minutes or item.duration_minutes
    slot = await appointments.slot_of(
        ctx,
        doctor_id=doctor.id,
        cabinet_id=None,
        start=data.start,
        end=None,
        duration_minutes=minutes,
        overbook=False,
        default_length=timedelta(minutes=ctx.prefs.grid_step_minutes),
    )
    patient: PatientData = appointments.typed_patient(PatientIn(**data.patient.model_dump(exclude={"email"})), ctx)
    record_type = await directories.record_type_by_code(ctx.session, ONLINE_RECORD_TYPE)
    # Scheduling keeps no e-mail column; the receptionist sees it in the note.
    note = f"e-mail: {data.patient.email}" if data.patient.email else None
    new = NewAppointment(
        slot=slot,
        patient=patient,
        lines=lines,
        note=note,
        record_type_id=record_type.id if record_type is not None else None,
    )
    try:
        appointment = await booking.book(ctx, new)
    except Conflict as exc:
        raise public_conflict(exc) from exc
    log.info("scheduling.online.booked", appointment_id=str(appointment.id))
    await match_card(ctx, appointment, patient)
    [public_doctor] = await present_doctors(ctx.session, [doctor])
    return OnlineBooked(
        id=appointment.id,
        number=appointment.number,
        start=appointment.start_at,
        end=appointment.end_at,
        doctor=public_doctor,
        service_id=data.service_id,
        quote=quote,
    )


async def match_card(ctx: Context, appointment: Appointment, patient: PatientData) -> None:
    """Link the booking to the one card with the patient's name, birth date and phone (OND-4).

    A card attached to ONDOC then hears of it like any booking of the card (the "linked"
    `appointment.updated`). Otherwise the booking stays primary, flagged for the receptionist
    when a match is ambiguous or partial. The widget's answer never tells which happened: it
    would tell anyone holding the website's key whether someone has a card."""
    typed = matching.TypedPatient(
        patient.last_name, patient.first_name, patient.middle_name, patient.mobile_phone, patient.birth_date
    )
    found = await matching.match_card(ctx.session, typed)
    card = await ctx.session.get(PatientProjection, found.patient_id) if found.patient_id is not None else None
    if card is not None:
        await linking.attach_card(ctx, appointment, card)
    elif found.kind is not None:
        appointment.card_match = found.kind
        await ctx.session.flush()
    outcome = "linked" if card is not None else (found.kind or "none")
    log.info(
        "scheduling.online.card_match", appointment_id=str(appointment.id), outcome=outcome, cards=found.candidates
    )


def public_conflict(conflict: Conflict) -> Conflict:
    """The widget's 409 for a refused booking: why the time is not free, and nothing of who holds it.

    The staff answer names the appointments in the way (`conflicts`), which the front desk
    needs; the widget's caller is anyone holding the website's key, and an id there would
    open another patient's appointment to the id-based endpoints (or tell that one exists).
    """
    reason = conflict.extra.get("reason")
    if reason in PUBLIC_CONFLICTS:
        return Conflict(PUBLIC_CONFLICTS[reason], code=PLACEMENT_CODES[reason], reason=reason)
    return Conflict(UNAVAILABLE, code="slot-unavailable", reason="unavailable")


async def cancel(ctx: Context, appointment_id: uuid.UUID, phone: str | None, comment: str | None = None) -> None:
    """Cancel an online booking when `phone` is the one it was made with; otherwise 404.

    It always goes through, even when a deletion reason is required: the reason is the reserved
    «Отменена пациентом на сайте», and `comment` keeps the patient's own words (OND-5)."""
    missing = NotFound(f"No online booking {appointment_id} with this phone.")
    try:
        digits = normalize_phone(phone or "", ctx.settings.phone_region)
    except InvalidPhone as exc:
        raise missing from exc
    appointment = await AppointmentRepository(ctx.session).get(appointment_id, for_update=True)
    record_type = await directories.record_type_by_code(ctx.session, ONLINE_RECORD_TYPE)
    if (
        appointment is None
        or appointment.mobile_phone != digits
        or record_type is None
        or appointment.record_type_id != record_type.id
    ):
        raise missing
    if not appointment.deleted:
        await trash.cancel_by_patient(ctx, appointment, code=trash.ONLINE_PATIENT_REASON, comment=comment)
        log.info("scheduling.online.cancelled", appointment_id=str(appointment.id))
