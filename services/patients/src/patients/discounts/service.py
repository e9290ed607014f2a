"""Issue discount cards to patients (PAT-7)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from patients import counters, events
from patients.audit import service as audit_service
from patients.audit.schemas import AuditAction
from patients.cards import service as card_service
from patients.discounts.models import DiscountCard
from patients.discounts.repository import DiscountCardRepository
from patients.discounts.schemas import DiscountCardIssue

log = get_logger(__name__)

DISCOUNT_NUMBER_COUNTER = "discount_card_number"


def percent_to_hundredths(percent: Decimal) -> int:
    """12.5 → 1250 (the stored form)."""
    return int((percent * 100).to_integral_value())


async def issue(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    patient_id: uuid.UUID,
    data: DiscountCardIssue,
) -> DiscountCard:
    """Issue a discount card to a patient; publishes `discount_card.issued`."""
    patient = await card_service.get_card(session, card_id=patient_id, for_update=True)
    if patient.deleted:
        raise Conflict(
            "The patient card is deleted; restore it before issuing a discount card.",
            code="card-deleted",
            card_id=str(patient.id),
        )
    repository = DiscountCardRepository(session)
    number = data.number or await _next_free_number(repository, session)
    if await repository.number_taken(number):
        raise Conflict(
            f"Discount card number {number} is already issued.", code="discount-number-taken", field="number"
        )
    card = DiscountCard(
        id=uuid.uuid4(),
        patient_id=patient.id,
        number=number,
        percent_hundredths=percent_to_hundredths(data.percent),
        issued_at=utcnow(),
        issued_by=principal.user_id,
        issued_by_username=principal.username,
    )
    await repository.add(card)
    await audit_service.record(
        session, principal=principal, action=AuditAction.ISSUE_DISCOUNT_CARD, card_ids=[patient.id]
    )
    await events.publish_discount_card_issued(runtime, session, card)
    log.info("patients.discount_card.issued", discount_card_id=str(card.id), patient_id=str(patient.id))
    return card


async def list_for_patient(
    session: AsyncSession, *, patient_id: uuid.UUID, principal: Principal, limit: int, offset: int
) -> tuple[Sequence[DiscountCard], int]:
    """A patient's discount cards, newest first (the read is audited)."""
    await card_service.read_card(session, card_id=patient_id, principal=principal, detail="discount cards")
    return await DiscountCardRepository(session).page_for_patient(patient_id, limit=limit, offset=offset)


async def _next_free_number(repository: DiscountCardRepository, session: AsyncSession) -> str:
    # Numbers typed by hand may already hold a counter value: skip those.
    while True:
        number = f"{await counters.next_value(session, DISCOUNT_NUMBER_COUNTER):08d}"
        if not await repository.number_taken(number):
            return number
