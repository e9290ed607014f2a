"""What the patients service publishes. It consumes no events.

Every patient event carries the card's full state and `aggregate_version = card.version`,
so consumers can drop anything older than what they hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.events import DiscountCardIssued, PatientState, new_event
from clinic_shared.service import ServiceRuntime
from patients.cards.models import PatientCard
from patients.cards.rules import is_minor
from patients.discounts.models import DiscountCard

# What a card contributes to PatientState (is_minor is computed).
_STATE_FIELDS = (
    "id",
    "card_number",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "mobile_phone",
    "email",
    "vip",
    "deleted",
)
PatientEvent = Literal["patient.created", "patient.updated", "patient.deleted", "patient.restored"]


def patient_state(card: PatientCard, *, today: date, minor_age: int) -> PatientState:
    """The card as the `patient.*` events carry it."""
    return patient_state_of({name: getattr(card, name) for name in _STATE_FIELDS}, today=today, minor_age=minor_age)


def patient_state_of(card: Mapping[str, Any], *, today: date, minor_age: int) -> PatientState:
    """`patient_state` of a card's stored values (a row not loaded as an entity)."""
    return PatientState(
        id=card["id"],
        card_number=card["card_number"],
        last_name=card["last_name"],
        first_name=card["first_name"],
        middle_name=card["middle_name"],
        birth_date=card["birth_date"],
        sex=card["sex"],
        mobile_phone=card["mobile_phone"],
        email=card["email"],
        vip=card["vip"],
        is_minor=is_minor(card["birth_date"], today, minor_age),
        deleted=card["deleted"],
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


async def publish_patient_events(
    runtime: ServiceRuntime,
    session: AsyncSession,
    event_type: PatientEvent,
    cards: Sequence[Mapping[str, Any]],
    *,
    today: date,
    minor_age: int,
) -> None:
    """`publish_patient_event` for many cards (stored values) with one INSERT into the outbox.

    The envelopes are built by `new_event` exactly as `runtime.publish` builds them and the rows
    are those `EventTables.add` writes; only the round trips are saved (5000 events: one
    statement instead of 5000). Replace with a bulk `runtime.publish` once clinic_shared has one.
    """
    minted = utcnow()
    rows = []
    for card in cards:
        state = patient_state_of(card, today=today, minor_age=minor_age)
        envelope = new_event(
            event_type, state, producer=runtime.spec.name, aggregate_id=card["id"], aggregate_version=card["version"]
        )
        rows.append(
            {
                "event_id": envelope.id,
                "event_type": envelope.type,
                "aggregate_id": envelope.aggregate_id,
                "payload": envelope.model_dump_json(),
                "created_at": minted,
            }
        )
    if rows:
        await session.execute(runtime.spec.events.outbox.insert(), rows)


async def publish_discount_card_issued(runtime: ServiceRuntime, session: AsyncSession, card: DiscountCard) -> None:
    """Queue `discount_card.issued` in the transaction that issued the card."""
    data = DiscountCardIssued(
        id=card.id, patient_id=card.patient_id, number=card.number, percent=card.percent, issued_at=card.issued_at
    )
    # A discount card never changes after issue: its one event is version 1.
    await runtime.publish(session, "discount_card.issued", data, aggregate_id=card.id, aggregate_version=1)
