"""What the patients service publishes. It consumes no events.

Every patient event carries the card's full state and `aggregate_version = card.version`,
so consumers can drop anything older than what they hold.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import DiscountCardIssued, PatientState
from clinic_shared.service import ServiceRuntime
from patients.cards.models import PatientCard
from patients.cards.rules import is_minor
from patients.discounts.models import DiscountCard

PatientEvent = Literal["patient.created", "patient.updated", "patient.deleted", "patient.restored"]


def patient_state(card: PatientCard, *, today: date, minor_age: int) -> PatientState:
    """The card as the `patient.*` events carry it."""
    return PatientState(
        id=card.id,
        card_number=card.card_number,
        last_name=card.last_name,
        first_name=card.first_name,
        middle_name=card.middle_name,
        birth_date=card.birth_date,
        sex=card.sex,  # type: ignore[arg-type]
        mobile_phone=card.mobile_phone,
        email=card.email,
        vip=card.vip,
        is_minor=is_minor(card.birth_date, today, minor_age),
        deleted=card.deleted,
    )


async def publish_patient_event(
    runtime: ServiceRuntime,
    session: AsyncSession,
    event_type: PatientEvent,
    card: PatientCard,
    *,
    today: date,
    minor_age: int,
) -> None:
    """Queue a `patient.*` event in the transaction that changed the card."""
    state = patient_state(card, today=today, minor_age=minor_age)
    await runtime.publish(session, event_type, state, aggregate_id=card.id, aggregate_version=card.version)


async def publish_discount_card_issued(runtime: ServiceRuntime, session: AsyncSession, card: DiscountCard) -> None:
    """Queue `discount_card.issued` in the transaction that issued the card."""
    data = DiscountCardIssued(
        id=card.id, patient_id=card.patient_id, number=card.number, percent=card.percent, issued_at=card.issued_at
    )
    # A discount card never changes after issue: its one event is version 1.
    await runtime.publish(session, "discount_card.issued", data, aggregate_id=card.id, aggregate_version=1)
