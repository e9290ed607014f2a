"""Which card a website booking is for (OND-4, SCH-13): name, birth date and phone, all three.

The widget's patient types their data in; when it is exactly one card's, the booking is that
card's (and reaches ONDOC when the card is attached). Anything less certain is left to the
receptionist: the booking stays primary, and two or more exact matches (`ambiguous`) or a card
sharing only some of the data (`partial`: name and birth date with another phone, or the phone
under another name or birth date) flag it for review. A booking without a birth date can match
no card exactly. Names compare as the search does: case-insensitive, ё = е, spaces collapsed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.names import normalize_for_search
from scheduling.patients.models import PatientProjection

CardMatchKind = Literal["ambiguous", "partial"]
AMBIGUOUS: CardMatchKind = "ambiguous"
PARTIAL: CardMatchKind = "partial"
# What a card is compared on; rows, not entities: a common birth date may bring many.
CARD_COLUMNS = (
    PatientProjection.id,
    PatientProjection.last_name,
    PatientProjection.first_name,
    PatientProjection.middle_name,
    PatientProjection.birth_date,
    PatientProjection.mobile_phone,
)


@dataclass(frozen=True)
class TypedPatient:
    """What the patient typed in: cleaned names, the phone as E.164 digits, the birth date."""

    last_name: str
    first_name: str
    middle_name: str | None
    mobile_phone: str | None
    birth_date: date | None


@dataclass(frozen=True)
class CardMatch:
    """The card to link (`patient_id`), or why none is linked (`kind`; None: no card is close)."""

    patient_id: uuid.UUID | None = None
    kind: CardMatchKind | None = None
    candidates: int = 0


def _name_key(last_name: str | None, first_name: str | None, middle_name: str | None) -> tuple[str, str, str]:
    return (normalize_for_search(last_name), normalize_for_search(first_name), normalize_for_search(middle_name))


def decide(typed: TypedPatient, cards: Sequence[Any]) -> CardMatch:
    """The match of a booking among live cards (anything with the `CARD_COLUMNS` attributes)."""
    name = _name_key(typed.last_name, typed.first_name, typed.middle_name)
    exact: list[uuid.UUID] = []
    partial = 0
    for card in cards:
        same_name = _name_key(card.last_name, card.first_name, card.middle_name) == name
        same_birth = typed.birth_date is not None and card.birth_date == typed.birth_date
        same_phone = typed.mobile_phone is not None and card.mobile_phone == typed.mobile_phone
        if same_name and same_birth and same_phone:
            exact.append(card.id)
        elif same_phone or (same_name and same_birth):
            partial += 1
    if len(exact) == 1:
        return CardMatch(patient_id=exact[0], candidates=1)
    if exact:
        return CardMatch(kind=AMBIGUOUS, candidates=len(exact))
    if partial:
        return CardMatch(kind=PARTIAL, candidates=partial)
    return CardMatch()


async def candidates(session: AsyncSession, typed: TypedPatient) -> Sequence[Any]:
    """Live cards of the projection with the booking's phone or birth date (rows of `CARD_COLUMNS`).

    Names are compared afterwards, in Python: SQLite's lower() does not know Cyrillic."""
    conditions = []
    if typed.mobile_phone:
        conditions.append(PatientProjection.mobile_phone == typed.mobile_phone)
    if typed.birth_date is not None:
        conditions.append(PatientProjection.birth_date == typed.birth_date)
    if not conditions:
        return []
    statement = select(*CARD_COLUMNS).where(or_(*conditions), PatientProjection.deleted.is_(False))
    return (await session.execute(statement)).all()


async def match_card(session: AsyncSession, typed: TypedPatient) -> CardMatch:
    """The card a booking typed in by the patient belongs to, if exactly one is certain."""
    return decide(typed, await candidates(session, typed))
