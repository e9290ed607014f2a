"""SQL of cards out of the archive (PAT-9)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, Select, func, select

from clinic_shared.repository import RepositoryBase
from patients.card_issues.models import CardIssue
from patients.cards.models import PatientCard


@dataclass(frozen=True)
class OutFilters:
    """What «Карты вне архива» is narrowed to; every given filter must match."""

    recipient_kind: str | None = None
    recipient_id: uuid.UUID | None = None
    recipient: str | None = None  # normalised words of the recipient's name, matched anywhere in it
    overdue: bool | None = None  # with `today`: only overdue (True) or only not yet (False)
    today: date | None = None
    issued_since: datetime | None = None
    issued_until: datetime | None = None  # exclusive


class CardIssueRepository(RepositoryBase[CardIssue]):
    model = CardIssue

    async def open_for_card(self, card_id: uuid.UUID) -> CardIssue | None:
        """The issue of a card that is out now, or None while it is in the archive."""
        statement = select(CardIssue).where(CardIssue.card_id == card_id, CardIssue.returned_at.is_(None))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def open_for_cards(self, card_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, CardIssue]:
        """The open issues of these cards (one query), by card id."""
        if not card_ids:
            return {}
        statement = select(CardIssue).where(CardIssue.card_id.in_(set(card_ids)), CardIssue.returned_at.is_(None))
        return {issue.card_id: issue for issue in (await self.session.execute(statement)).scalars()}

    async def page_for_card(self, card_id: uuid.UUID, *, limit: int, offset: int) -> tuple[Sequence[CardIssue], int]:
        """Every time the card left the archive, newest first."""
        statement = (
            select(CardIssue).where(CardIssue.card_id == card_id).order_by(CardIssue.issued_at.desc(), CardIssue.id)
        )
        return await self.paginate(statement, limit=limit, offset=offset)

    async def page_out(
        self, filters: OutFilters, *, limit: int, offset: int
    ) -> tuple[Sequence[Row[CardIssue, PatientCard]], int]:
        """Cards out of the archive with their cards, the longest overdue first; and their count."""
        statement = out_statement(filters)
        total = await self.session.execute(select(func.count()).select_from(statement.order_by(None).subquery()))
        rows = (await self.session.execute(statement.limit(limit).offset(offset))).all()
        return rows, int(total.scalar_one())


def out_statement(filters: OutFilters) -> Select[CardIssue, PatientCard]:
    """The open issues matching `filters`, each with its card, by due date then issue time."""
    issue = CardIssue
    statement = (
        select(issue, PatientCard).join(PatientCard, PatientCard.id == issue.card_id).where(issue.returned_at.is_(None))
    )
    if filters.recipient_kind is not None:
        statement = statement.where(issue.recipient_kind == filters.recipient_kind)
    if filters.recipient_id is not None:
        statement = statement.where(issue.recipient_id == filters.recipient_id)
    if filters.recipient:
        statement = statement.where(issue.recipient_name_norm.contains(filters.recipient, autoescape=True))
    if filters.overdue is not None and filters.today is not None:
        overdue = issue.due_back < filters.today
        statement = statement.where(overdue if filters.overdue else ~overdue)
    if filters.issued_since is not None:
        statement = statement.where(issue.issued_at >= filters.issued_since)
    if filters.issued_until is not None:
        statement = statement.where(issue.issued_at < filters.issued_until)
    return statement.order_by(issue.due_back, issue.issued_at, issue.id)
