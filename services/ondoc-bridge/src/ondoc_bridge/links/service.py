"""Linking cards to ONDOC patients and ending links (OND-3, OND-7)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import Conflict
from clinic_shared.logging import get_logger
from ondoc_bridge.cards.repository import CardRepository
from ondoc_bridge.links.models import ATTACHED, DETACHED, PatientLink
from ondoc_bridge.links.repository import LinkRepository
from ondoc_bridge.links.schemas import LinkRead
from ondoc_bridge.outbound import service as outbound_service
from ondoc_bridge.problem_types import ALREADY_ATTACHED

log = get_logger(__name__)
NO_MIS_ID = "-"


def link_read(link: PatientLink, card_number: str | None) -> LinkRead:
    """A link as the list shows it: the MIS ID (card number) while attached, a dash after."""
    mis_id = (card_number or str(link.patient_id)) if link.status == ATTACHED else NO_MIS_ID
    return LinkRead(
        id=link.id,
        patient_id=link.patient_id,
        mis_id=mis_id,
        card_number=card_number,
        ondoc_patient_id=link.ondoc_patient_id,
        status=link.status,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        attached_at=link.attached_at,
        detached_at=link.detached_at,
        detached_by=link.detached_by,
        detach_reason=link.detach_reason,
    )


async def list_links(
    session: AsyncSession, *, status: str | None, patient_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[list[LinkRead], int]:
    """Linked and detached patients, newest first."""
    links, total = await LinkRepository(session).search(
        status=status, patient_id=patient_id, limit=limit, offset=offset
    )
    numbers = await CardRepository(session).card_numbers([link.patient_id for link in links])
    return [link_read(link, numbers.get(link.patient_id)) for link in links], total


async def attach(
    session: AsyncSession, *, patient_id: uuid.UUID, ondoc_patient_id: str, code_id: uuid.UUID, now: datetime
) -> PatientLink:
    """Link a card to an ONDOC patient (the patient entered a valid code)."""
    repository = LinkRepository(session)
    taken = await repository.attached_for_ondoc(ondoc_patient_id)
    if taken is not None:
        raise Conflict(
            "This ONDOC patient is already attached to a card of the clinic; detach it first.", code=ALREADY_ATTACHED
        )
    if await repository.attached_for_patient(patient_id) is not None:
        raise Conflict("The card is already attached to another ONDOC patient; detach it first.", code=ALREADY_ATTACHED)
    link = await repository.add(
        PatientLink(
            patient_id=patient_id,
            ondoc_patient_id=ondoc_patient_id,
            status=ATTACHED,
            attach_code_id=code_id,
            attached_at=now,
        )
    )
    log.info("ondoc.link.attached", link_id=str(link.id), patient_id=str(patient_id))
    return link


async def detach_by_clinic(
    session: AsyncSession, *, patient_id: uuid.UUID, reason: str | None, now: datetime
) -> PatientLink | None:
    """End the card's link here and queue the detach call to ONDOC (card deleted, or staff)."""
    link = await LinkRepository(session).attached_for_patient(patient_id)
    if link is None:
        return None
    _end(link, by="clinic", reason=reason, now=now)
    await session.flush()
    await outbound_service.enqueue_detach(session, link=link, reason=reason, now=now)
    log.info("ondoc.link.detached", link_id=str(link.id), by="clinic")
    return link


async def detach_by_ondoc(
    session: AsyncSession, *, ondoc_patient_id: str, initiator: str, reason: str | None, now: datetime
) -> PatientLink | None:
    """End the link ONDOC told us about; ONDOC already knows, so nothing is sent back."""
    link = await LinkRepository(session).attached_for_ondoc(ondoc_patient_id)
    if link is None:
        return None
    _end(link, by=initiator, reason=reason, now=now)
    await session.flush()
    log.info("ondoc.link.detached", link_id=str(link.id), by=initiator)
    return link


def _end(link: PatientLink, *, by: str, reason: str | None, now: datetime) -> None:
    link.status = DETACHED
    link.detached_at = now
    link.detached_by = by
    link.detach_reason = reason
