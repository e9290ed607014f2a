"""Keeping the card copies current, and finding a card the events have not brought yet."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ClinicError
from clinic_shared.events import PatientState
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.attach.repository import AttachCodeRepository
from ondoc_bridge.cards.models import CardCopy
from ondoc_bridge.cards.repository import CardRepository
from ondoc_bridge.links import service as links_service

log = get_logger(__name__)
CARD_DELETED_REASON = "Карта пациента удалена в клинике"


def card_values(state: PatientState, version: int) -> dict[str, object]:
    """The projection row of a patient state."""
    return {
        "id": state.id,
        "card_number": state.card_number,
        "last_name": state.last_name,
        "first_name": state.first_name,
        "middle_name": state.middle_name,
        "birth_date": state.birth_date,
        "mobile_phone": state.mobile_phone,
        "email": state.email,
        "deleted": state.deleted,
        "version": version,
    }


async def apply_patient_state(session: AsyncSession, *, state: PatientState, version: int) -> bool:
    """Store a card state if it is newer than ours; True when it was applied."""
    return await CardRepository(session).upsert_if_newer(card_values(state, version))


async def find_card(session: AsyncSession, *, runtime: ServiceRuntime, patient_id: uuid.UUID) -> CardCopy | None:
    """The card from our copy, else asked of the patients service (its event may still be on the way)."""
    repository = CardRepository(session)
    card = await repository.get(patient_id)
    if card is not None:
        return card
    try:
        response = await runtime.peer("patients").get(f"/cards/{patient_id}")
    except (httpx.HTTPError, ClinicError) as exc:
        log.warning("ondoc.card.lookup_failed", patient_id=str(patient_id), error=type(exc).__name__)
        return None
    if response.status_code != 200:
        return None
    try:
        body = response.json()
        state = PatientState.model_validate(body)
        version = int(body["version"])
    except (ValueError, KeyError, TypeError, ValidationError):
        log.warning("ondoc.card.lookup_unreadable", patient_id=str(patient_id))
        return None
    await repository.upsert_if_newer(card_values(state, version))
    return await repository.get(patient_id)


async def apply_patient_event(session: AsyncSession, *, state: PatientState, version: int, now: datetime) -> None:
    """Keep the card copy current; a newly deleted card is detached from ONDOC (OND-7) and its
    live attach codes stop working."""
    if not await apply_patient_state(session, state=state, version=version):
        return
    if state.deleted:
        await AttachCodeRepository(session).revoke_live_of(state.id, now)
        await links_service.detach_by_clinic(session, patient_id=state.id, reason=CARD_DELETED_REASON, now=now)
