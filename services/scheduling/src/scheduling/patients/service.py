"""Keep the patients projection (events), and find a card for a booking.

A card created a moment ago may not have reached the projection yet (events are
asynchronous); a booking for it then asks the patients service once, as the calling user,
and stores what it got under the card's version, exactly as the event would have.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of, utcnow
from clinic_shared.errors import ClinicError, ServiceUnavailable, ValidationFailed
from clinic_shared.events import EventEnvelope, PatientState
from clinic_shared.logging import get_logger
from clinic_shared.outbox import upsert_if_newer
from clinic_shared.service import ServiceRuntime
from scheduling.patients.models import PatientProjection

log = get_logger(__name__)


async def apply_patient_event(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`patient.created|updated|deleted|restored` → the projection, when newer."""
    state = PatientState.model_validate(envelope.data)
    applied = await store(session, state.model_dump(), version=envelope.aggregate_version)
    log.info("scheduling.patient_projection.applied", patient_id=str(state.id), applied=applied)


async def store(session: AsyncSession, card: dict[str, Any], *, version: int) -> bool:
    """Upsert a card into the projection unless a newer version is already there."""
    values = {
        "id": uuid.UUID(str(card["id"])),
        "version": version,
        "card_number": str(card["card_number"]),
        "last_name": card["last_name"],
        "first_name": card["first_name"],
        "middle_name": card.get("middle_name"),
        "birth_date": _as_date(card.get("birth_date")),
        "mobile_phone": card.get("mobile_phone"),
        "vip": bool(card.get("vip")),
        "is_minor": bool(card.get("is_minor")),
        "deleted": bool(card.get("deleted")),
        "updated_at": utcnow(),
    }
    return await upsert_if_newer(session, table_of(PatientProjection), values)


async def projections(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, PatientProjection]:
    """Projection rows of these cards, by id."""
    if not ids:
        return {}
    rows = (await session.execute(select(PatientProjection).where(PatientProjection.id.in_(ids)))).scalars()
    return {row.id: row for row in rows}


async def card_for_booking(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime | None,
    patient_id: uuid.UUID,
    authorization: str | None,
    field: str = "patient_id",
) -> PatientProjection:
    """The card a booking names; 422 naming `field` when unknown or deleted."""
    card = await session.get(PatientProjection, patient_id)
    if card is None and runtime is not None and authorization:
        fetched = await fetch_card(runtime, patient_id=patient_id, authorization=authorization)
        if fetched is not None:
            await store(session, fetched, version=int(fetched.get("version", 1)))
            card = await session.get(PatientProjection, patient_id, populate_existing=True)
    if card is None:
        raise ValidationFailed.field(field, "no such patient card", "unknown_card")
    if card.deleted:
        raise ValidationFailed.field(field, "the patient card is deleted", "card_deleted")
    return card


async def fetch_card(runtime: ServiceRuntime, *, patient_id: uuid.UUID, authorization: str) -> dict[str, Any] | None:
    """GET /cards/{id} from the patients service as the caller; None when it is not there."""
    try:
        client = runtime.peer("patients", authorization=authorization)
    except ClinicError:
        return None  # patients is not part of this deployment: the projection is all we have
    try:
        # The header is passed per request: the peer client is shared by concurrent requests.
        response = await client.get(f"/cards/{patient_id}", headers={"Authorization": authorization})
    except httpx.HTTPError as exc:
        log.warning("scheduling.patients_unreachable", error=type(exc).__name__)
        raise ServiceUnavailable("The patients service did not answer; try again shortly.") from exc
    if response.status_code == 200:
        return response.json()
    if response.status_code in (401, 403, 404, 422):
        return None
    raise ServiceUnavailable(f"The patients service answered {response.status_code}; try again shortly.")


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
