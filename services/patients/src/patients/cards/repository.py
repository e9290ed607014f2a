"""SQL of cards: phones index, search (PAT-3)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from itertools import permutations
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, delete, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError

from clinic_shared.repository import RepositoryBase
from patients.cards.models import CardBatchKey, CardCreationKey, CardPhone, PatientCard

# (last, first, middle name as in the *_norm columns, birth date): who a person is for matching.
PersonKey = tuple[str, str, str, date]
K = TypeVar("K", CardCreationKey, CardBatchKey)


class CardRepository(RepositoryBase[PatientCard]):
    model = PatientCard

    async def replace_phones(self, card_id: uuid.UUID, phones: list[str]) -> None:
        """Make the phone index of a card hold exactly `phones`."""
        await self.session.execute(delete(CardPhone).where(CardPhone.card_id == card_id))
        unique = list(dict.fromkeys(p for p in phones if p))
        if unique:
            await self.session.execute(insert(CardPhone), [{"card_id": card_id, "phone": p} for p in unique])

    async def insert_rows(self, rows: list[dict[str, Any]]) -> None:
        """Insert new cards given as complete rows, in one statement (no ORM unit of work)."""
        if rows:
            await self.session.execute(insert(PatientCard.__table__), rows)

    async def add_phones(self, phones: Iterable[tuple[uuid.UUID, Iterable[str | None]]]) -> None:
        """Index the phones of new cards, `(card_id, phones)` each, in one INSERT."""
        rows = [
            {"card_id": card_id, "phone": phone}
            for card_id, numbers in phones
            for phone in dict.fromkeys(p for p in numbers if p)
        ]
        if rows:
            await self.session.execute(insert(CardPhone.__table__), rows)

    async def find_people(self, keys: Collection[PersonKey], *, chunk: int = 500) -> dict[PersonKey, uuid.UUID]:
        """Non-deleted cards with these (normalised names, birth date); the oldest card per person.

        One query per `chunk` people: birth date IN (…) AND last name IN (…) narrows the rows to
        the candidates (the birth-date index does the work); the exact match is made here.
        """
        wanted = sorted(keys, key=lambda k: (k[3], k[0], k[1], k[2]))
        card = PatientCard
        found: dict[PersonKey, uuid.UUID] = {}
        for start in range(0, len(wanted), chunk):
            part = set(wanted[start : start + chunk])
            statement = (
                select(card.id, card.last_name_norm, card.first_name_norm, card.middle_name_norm, card.birth_date)
                .where(
                    card.deleted.is_(False),
                    card.birth_date.in_({k[3] for k in part}),
                    card.last_name_norm.in_({k[0] for k in part}),
                )
                .order_by(card.created_at, card.card_number)
            )
            for card_id, last, first, middle, born in await self.session.execute(statement):
                key = (last, first, middle or "", born)
                if key in part and key not in found:
                    found[key] = card_id
        return found

    async def reserve_creation_key(self, user_id: uuid.UUID, key: str) -> CardCreationKey | None:
        """Reserve an Idempotency-Key; returns the earlier use of it instead when there was one."""
        return await self._reserve(CardCreationKey(user_id=user_id, key=key))

    async def reserve_batch_key(self, user_id: uuid.UUID, key: str, fingerprint: str) -> CardBatchKey | None:
        """Reserve the Idempotency-Key of a batch; returns the earlier use of it instead when there was one."""
        return await self._reserve(CardBatchKey(user_id=user_id, key=key, fingerprint=fingerprint))

    async def _reserve(self, reservation: K) -> K | None:
        identity = (reservation.user_id, reservation.key)
        found = await self.session.get(type(reservation), identity)
        if found is not None:
            return found
        try:
            # A savepoint: losing the race to a concurrent request with the same key must not
            # spoil this transaction. PostgreSQL makes the loser wait for the winner's commit.
            async with self.session.begin_nested():
                self.session.add(reservation)
        except IntegrityError:
            return await self.session.get(type(reservation), identity, populate_existing=True)
        return None

    async def link_creation_key(self, user_id: uuid.UUID, key: str, card_id: uuid.UUID) -> None:
        reservation = await self.session.get(CardCreationKey, (user_id, key))
        assert reservation is not None, "the key was reserved in this transaction"
        reservation.card_id = card_id
        await self.session.flush()

    async def save_batch_result(self, user_id: uuid.UUID, key: str, result: dict[str, Any]) -> None:
        reservation = await self.session.get(CardBatchKey, (user_id, key))
        assert reservation is not None, "the key was reserved in this transaction"
        reservation.result = result
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
