"""/cards/{id}/discount-cards (PAT-7)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from patients.deps import DiscountIssuer, Reader
from patients.discounts import service
from patients.discounts.schemas import DiscountCardIssue, DiscountCardRead

router = APIRouter(prefix="/cards", tags=["discount cards"])


@router.get("/{card_id}/discount-cards")
async def list_discount_cards(
    card_id: uuid.UUID, session: SessionDep, page: PageDep, principal: Reader
) -> Page[DiscountCardRead]:
    """The discount cards issued to a patient, newest first."""
    cards, total = await service.list_for_patient(
        session, patient_id=card_id, principal=principal, limit=page.limit, offset=page.offset
    )
    return Page(items=[DiscountCardRead.model_validate(c) for c in cards], total=total)


@router.post("/{card_id}/discount-cards", status_code=status.HTTP_201_CREATED)
async def issue_discount_card(
    card_id: uuid.UUID, data: DiscountCardIssue, session: SessionDep, runtime: RuntimeDep, principal: DiscountIssuer
) -> DiscountCardRead:
    """Issue a discount card (number assigned when not given)."""
    card = await service.issue(session, runtime=runtime, principal=principal, patient_id=card_id, data=data)
    return DiscountCardRead.model_validate(card)
