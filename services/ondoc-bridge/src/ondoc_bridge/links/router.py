"""/links (linked and detached patients) and a staff-initiated detach (OND-3, OND-7)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from clinic_shared.db import utcnow
from clinic_shared.errors import NotFound
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from ondoc_bridge.cards.repository import CardRepository
from ondoc_bridge.deps import Attacher, Reader
from ondoc_bridge.links import service
from ondoc_bridge.links.schemas import DetachRequest, LinkRead

router = APIRouter(tags=["links"])


@router.get("/links")
async def list_links(
    session: SessionDep,
    principal: Reader,
    page: PageDep,
    status: Annotated[Literal["attached", "detached"] | None, Query()] = None,
    patient_id: uuid.UUID | None = None,
) -> Page[LinkRead]:
    """Patients linked to ONDOC, and those detached (MIS ID "-"), newest first."""
    items, total = await service.list_links(
        session, status=status, patient_id=patient_id, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total)


@router.post("/patients/{patient_id}/detach")
async def detach_patient(
    patient_id: uuid.UUID, session: SessionDep, principal: Attacher, data: DetachRequest | None = None
) -> LinkRead:
    """Detach a card from ONDOC on the clinic's initiative; ONDOC is told through the outbound queue."""
    link = await service.detach_by_clinic(
        session, patient_id=patient_id, reason=data.reason if data else None, now=utcnow()
    )
    if link is None:
        raise NotFound("The card is not attached to ONDOC.")
    numbers = await CardRepository(session).card_numbers([patient_id])
    return service.link_read(link, numbers.get(patient_id))
