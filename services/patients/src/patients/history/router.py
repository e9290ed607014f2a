"""/cards/{id}/history: the change journal of a card (PAT-8)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from patients.cards import service as card_service
from patients.deps import Reader
from patients.history import service
from patients.history.schemas import CardHistoryRead

router = APIRouter(prefix="/cards", tags=["cards"])


@router.get("/{card_id}/history")
async def list_card_history(
    card_id: uuid.UUID, session: SessionDep, page: PageDep, principal: Reader
) -> Page[CardHistoryRead]:
    """Who changed the card, when, and which fields from → to; oldest first."""
    await card_service.read_card(session, card_id=card_id, principal=principal, detail="history")
    entries, total = await service.list_for_card(session, card_id=card_id, limit=page.limit, offset=page.offset)
    return Page(items=[CardHistoryRead.model_validate(e) for e in entries], total=total)
