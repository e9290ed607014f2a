"""SQL of cards: phones index, search (PAT-3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from itertools import permutations

from sqlalchemy import ColumnElement, Select, and_, delete, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError

from clinic_shared.repository import RepositoryBase
from patients.cards.models import CardCreationKey, CardPhone, PatientCard


class CardRepository(RepositoryBase[PatientCard]):
    model = PatientCard

    async def replace_phones(self, card_id: uuid.UUID, phones: list[str]) -> None:
        """Make the phone index of a card hold exactly `phones`."""
        await self.session.execute(delete(CardPhone).where(CardPhone.card_id == card_id))
        unique = list(dict.fromkeys(p for p in phones if p))
        if unique:
            await self.session.execute(insert(CardPhone), [{"card_id": card_id, "phone": p} for p in unique])

    async def reserve_creation_key(self, user_id: uuid.UUID, key: str) -> CardCreationKey | None:
        """Reserve an Idempotency-Key; returns the earlier use of it instead when there was one."""
        found = await self.session.get(CardCreationKey, (user_id, key))
        if found is not None:
            return found
        try:
            # A savepoint: losing the race to a concurrent request with the same key must not
            # spoil this transaction. PostgreSQL makes the loser wait for the winner's commit.
            async with self.session.begin_nested():
                self.session.add(CardCreationKey(user_id=user_id, key=key))
        except IntegrityError:
            return await self.session.get(CardCreationKey, (user_id, key), populate_existing=True)
        return None

    async def link_creation_key(self, user_id: uuid.UUID, key: str, card_id: uuid.UUID) -> None:
        reservation = await self.session.get(CardCreationKey, (user_id, key))
        assert reservation is not None, "the key was reserved in this transaction"
        reservation.card_id = card_id
        await self.session.flush()

    async def search(
        self,
        *,
        terms: list[str],
        phone: tuple[str, bool] | None,
        birth_date: date | None,
        card_numbers: list[str],
        include_deleted: bool,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[PatientCard], int]:
        """Cards matching every given filter, by name; see `search_statement`."""
        statement = search_statement(
            terms=terms,
            phone=phone,
            birth_date=birth_date,
            card_numbers=card_numbers,
            include_deleted=include_deleted,
        )
        return await self.paginate(statement, limit=limit, offset=offset)


def search_statement(
    *,
    terms: list[str],
    phone: tuple[str, bool] | None,
    birth_date: date | None,
    card_numbers: list[str],
    include_deleted: bool,
) -> Select[tuple[PatientCard]]:
    """Name terms match name parts (see `name_condition`); a phone matches any phone of the card."""
    card = PatientCard
    statement = select(card)
    if not include_deleted:
        statement = statement.where(card.deleted.is_(False))
    if terms:
        statement = statement.where(name_condition(terms))
    if phone is not None:
        digits, exact = phone
        matches = CardPhone.phone == digits if exact else CardPhone.phone.contains(digits, autoescape=True)
        statement = statement.where(exists().where(and_(CardPhone.card_id == card.id, matches)))
    if birth_date is not None:
        statement = statement.where(card.birth_date == birth_date)
    if card_numbers:
        statement = statement.where(card.card_number.in_(card_numbers))
    return statement.order_by(card.last_name_norm, card.first_name_norm, card.middle_name_norm, card.card_number)


def name_condition(terms: list[str]) -> ColumnElement[bool]:
    """Each term is the prefix of a different name part ("иван ив" → Иванов Иван, not Петров Иван).

    Up to three terms, every assignment of terms to distinct parts is tried; with more terms
    than parts each term only has to start some part.
    """
    parts = (PatientCard.last_name_norm, PatientCard.first_name_norm, PatientCard.middle_name_norm)

    # autoescape: % and _ typed by the user are literal characters, not wildcards.
    def starts(part: ColumnElement[str], term: str) -> ColumnElement[bool]:
        return part.startswith(term, autoescape=True)

    if len(terms) <= len(parts):
        return or_(
            *(
                and_(*(starts(part, term) for term, part in zip(terms, chosen, strict=True)))
                for chosen in permutations(parts, len(terms))
            )
        )
    return and_(*(or_(*(starts(part, term) for part in parts)) for term in terms))
