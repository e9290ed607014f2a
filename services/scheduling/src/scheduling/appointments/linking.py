"""Link a primary appointment to a card (SCH-15): an existing card, or one created from it.

Creating the card is a call to the patients service as the calling user (their right
`patients.write` is checked there; its 4xx answers are passed on). The two services cannot
share a transaction, so the call carries an Idempotency-Key made from the appointment: if
linking fails after the card was made, the user's retry gets that same card back instead of a
duplicate (a card made from a real patient's data is never wrong to keep).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from clinic_shared.errors import ClinicError, Conflict, ServiceUnavailable, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from scheduling.appointments import booking, journal, rules, statuses
from scheduling.appointments.booking import PatientData
from scheduling.appointments.context import Context
from scheduling.appointments.models import Appointment
from scheduling.appointments.schemas import LinkCard
from scheduling.appointments.service import get_appointment
from scheduling.events import publish_appointment
from scheduling.patients import service as patients
from scheduling.patients.models import PatientProjection

log = get_logger(__name__)


async def link_card(
    ctx: Context, appointment_id: uuid.UUID, data: LinkCard, *, runtime: ServiceRuntime, authorization: str | None
) -> Appointment:
    """Attach a card to the appointment; it stops being primary and takes the card's data."""
    if (data.patient_id is None) == (not data.create):
        raise ValidationFailed.field("patient_id", "give either patient_id or create: true")
    appointment = await get_appointment(ctx.session, appointment_id, for_update=True)
    ctx.check_version(appointment)
    statuses.refuse_if_deleted(appointment)
    if not appointment.is_primary:
        raise Conflict(
            "The appointment is already linked to a card.",
            code="already-linked",
            reason="already_linked",
            patient_id=str(appointment.patient_id),
        )
    if data.create:
        created = await _create_card(runtime, appointment, authorization=authorization)
        await patients.store(ctx.session, created, version=int(created.get("version", 1)))
        patient_id = uuid.UUID(str(created["id"]))
    else:
        assert data.patient_id is not None
        patient_id = data.patient_id
    card = await patients.card_for_booking(
        ctx.session, runtime=runtime, patient_id=patient_id, authorization=authorization
    )
    await attach_card(ctx, appointment, card)
    log.info("scheduling.appointment.linked", appointment_id=str(appointment.id), created=data.create)
    return appointment


async def attach_card(ctx: Context, appointment: Appointment, card: PatientProjection) -> None:
    """Make a primary appointment the card's: its data, a "linked" journal entry, the event.

    A receptionist's link and a website booking matched to a card (OND-4) alike; either ends
    the review a website booking may have been flagged for (`card_match`)."""
    before = journal.snapshot(appointment)
    booking.set_patient(appointment, PatientData.of_card(card))
    appointment.card_match = None
    ctx.touch(appointment)
    await ctx.session.flush()
    await journal.record(
        ctx.session,
        appointment,
        action="linked",
        changes=rules.diff(before, journal.snapshot(appointment)),
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
    )
    await publish_appointment(
        ctx.publisher, ctx.session, "appointment.updated", appointment, timezone=ctx.settings.timezone
    )


async def _create_card(
    runtime: ServiceRuntime, appointment: Appointment, *, authorization: str | None
) -> dict[str, Any]:
    if not authorization:
        raise ServiceUnavailable("A card can be created only on behalf of a user.")
    body = {
        "last_name": appointment.last_name,
        "first_name": appointment.first_name,
        "middle_name": appointment.middle_name,
        "birth_date": appointment.birth_date.isoformat() if appointment.birth_date else None,
        # Stored as E.164 digits: the '+' makes patients read it without guessing a region.
        "mobile_phone": f"+{appointment.mobile_phone}" if appointment.mobile_phone else None,
    }
    client = runtime.peer("patients", authorization=authorization)
    try:
        response = await client.post(
            "/cards", json=body, headers={"Authorization": authorization, "Idempotency-Key": link_key(appointment.id)}
        )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("The patients service did not answer; try again shortly.") from exc
    if response.status_code == 201:
        return response.json()
    if 400 <= response.status_code < 500:
        raise _relayed(response)
    raise ServiceUnavailable(f"The patients service answered {response.status_code}; try again shortly.")


def link_key(appointment_id: uuid.UUID) -> str:
    """The patients service's Idempotency-Key of the card created for this appointment."""
    return f"scheduling.link-card.{appointment_id}"


def _relayed(response: httpx.Response) -> ClinicError:
    """The patients service's refusal, passed on with its status, detail and field errors."""
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    error = ClinicError(
        f"The patients service refused the card: {problem.get('detail', response.reason_phrase)}",
        errors=problem.get("errors"),
        title=problem.get("title"),
    )
    error.status = response.status_code
    return error
