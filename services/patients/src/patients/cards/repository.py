"""SQL of cards: phone and name indexes, search (PAT-3)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, aliased

from clinic_shared.db import table_of
from clinic_shared.repository import RepositoryBase
from patients.cards.models import CardBatchKey, CardCreationKey, CardNameToken, CardPhone, PatientCard

# (last, first, middle name as in the *_norm columns, birth date): who a person is for matching.
PersonKey = tuple[str, str, str, date]
K = TypeVar("K", CardCreationKey, CardBatchKey)
# Up to this many search words must each start a different word of the names; more words
# (rare: "Иванов И. П. …") only have to start some word each.
DISTINCT_TERMS = 3
_LIKE_ESCAPE = "/"


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
            await self.session.execute(insert(table_of(PatientCard)), rows)

    async def add_phones(self, phones: Iterable[tuple[uuid.UUID, Iterable[str | None]]]) -> None:
        """Index the phones of new cards, `(card_id, phones)` each, in one INSERT."""
        rows = [
            {"card_id": card_id, "phone": phone}
            for card_id, numbers in phones
            for phone in dict.fromkeys(p for p in numbers if p)
        ]
        if rows:
            await self.session.execute(insert(table_of(CardPhone)), rows)

    async def replace_name_tokens(self, card_id: uuid.UUID, tokens: list[str]) -> None:
        """Make the name index of a card hold exactly `tokens` (see `names.card_name_tokens`)."""
        await self.session.execute(delete(CardNameToken).where(CardNameToken.card_id == card_id))
        await self.add_name_tokens([(card_id, tokens)])

    async def add_name_tokens(self, cards: Iterable[tuple[uuid.UUID, list[str]]]) -> None:
        """Index the names of new cards, `(card_id, tokens)` each, in one INSERT."""
        rows = [
            {"card_id": card_id, "position": position, "token": token}
            for card_id, tokens in cards
            for position, token in enumerate(tokens)
        ]
        if rows:
            await self.session.execute(insert(table_of(CardNameToken)), rows)

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
        updated_since: datetime | None = None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[PatientCard], int]:
        """Cards matching every given filter, by name; see `search_statement`."""
        statement = search_statement(
            dialect=self.session.bind.dialect.name if self.session.bind else "sqlite",
            terms=terms,
            phone=phone,
            birth_date=birth_date,
            card_numbers=card_numbers,
            include_deleted=include_deleted,
            updated_since=updated_since,
        )
        return await self.paginate(statement, limit=limit, offset=offset)


def search_statement(
    *,
    dialect: str,
    terms: list[str],
    phone: tuple[str, bool] | None,
    birth_date: date | None,
    card_numbers: list[str],
    include_deleted: bool,
    updated_since: datetime | None = None,
) -> Select[PatientCard]:
    """Name terms match name parts (see `name_condition`); a phone matches any phone of the card.

    With `updated_since` (clients that poll): the cards changed at or after it, deleted ones
    included so that a deletion is seen, oldest change first (every change bumps `updated_at`).
    """
    card = PatientCard
    statement = select(card)
    if updated_since is not None:
        statement = statement.where(card.updated_at >= updated_since)
    elif not include_deleted:
        statement = statement.where(card.deleted.is_(False))
    if terms:
        statement = statement.where(name_condition(terms, dialect=dialect))
    if phone is not None:
        digits, exact = phone
        matches = CardPhone.phone == digits if exact else CardPhone.phone.contains(digits, autoescape=True)
        statement = statement.where(exists().where(and_(CardPhone.card_id == card.id, matches)))
    if birth_date is not None:
        statement = statement.where(card.birth_date == birth_date)
    if card_numbers:
        statement = statement.where(card.card_number.in_(card_numbers))
    if updated_since is not None:
        return statement.order_by(card.updated_at, card.id)
    return statement.order_by(card.last_name_norm, card.first_name_norm, card.middle_name_norm, card.card_number)


def name_condition(terms: list[str], *, dialect: str) -> ColumnElement[bool]:
    """Each term is the prefix of a different word of the names ("иван ив" → Иванов Иван, not
    Петров Иван; "водк" → Петрова-Водкина; "петрова водкина" too).

    The words are the rows of `card_name_tokens`: the card ids come from its token index (a
    self-join on the card for each further term, at another position), never from a scan of
    the cards. With more than DISTINCT_TERMS terms each term only has to start some word.
    """
    if len(terms) > DISTINCT_TERMS:
        return and_(*(PatientCard.id.in_(_cards_with_word(term, dialect)) for term in terms))
    words = [aliased(CardNameToken) for _ in terms]
    first = words[0]
    matching = select(first.card_id).where(starts_with(first.token, terms[0], dialect=dialect))
    for index in range(1, len(terms)):
        word = words[index]
        other_positions = [word.position != earlier.position for earlier in words[:index]]
        matching = matching.join(word, and_(word.card_id == first.card_id, *other_positions)).where(
            starts_with(word.token, terms[index], dialect=dialect)
        )
    return PatientCard.id.in_(matching)


def _cards_with_word(term: str, dialect: str) -> Select[uuid.UUID]:
    return select(CardNameToken.card_id).where(starts_with(CardNameToken.token, term, dialect=dialect))


def starts_with(
    column: ColumnElement[str] | InstrumentedAttribute[str], prefix: str, *, dialect: str
) -> ColumnElement[bool]:
    """`column LIKE 'prefix%'` with `%` and `_` of the prefix literal, as one bound pattern
    (an index needs a constant pattern, not `:p || '%'`).

    SQLite's LIKE ignores ASCII case, so it cannot use a plain (binary) index; there the same
    prefix is also given as a range, which can. Stored tokens and terms are both lower case,
    so the two agree.
    """
    escaped = prefix.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%")
    escaped = escaped.replace("_", _LIKE_ESCAPE + "_")
    condition: ColumnElement[bool] = column.like(escaped + "%", escape=_LIKE_ESCAPE)
    if dialect == "sqlite":
        condition = and_(condition, column >= prefix, column < prefix + "\U0010ffff")
    return condition
