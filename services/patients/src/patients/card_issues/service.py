"""Give a paper card out of the archive and take it back; list the cards that are out (PAT-9).

Issue and return lock the card, make a new card version journaled as `issued` / `returned`
(field `out_of_archive`, PAT-8) and are audited (GW-3), all in the caller's transaction. No
event is published: nothing outside the archive acts on where a paper card is.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from patients.audit import service as audit_service
from patients.audit.schemas import AuditAction
from patients.card_issues import rules
from patients.card_issues.models import CardIssue
from patients.card_issues.repository import CardIssueRepository, OutFilters
from patients.card_issues.schemas import CardIssueCreate, CardIssueRead, CardReturn
from patients.cards import service as card_service
from patients.cards.creation import settings_of
from patients.cards.models import PatientCard
from patients.cards.names import normalize_for_search
from patients.cards.rules import clinic_today
from patients.history import service as history_service
from patients.policy import service as policy_service

log = get_logger(__name__)

OUT_FIELD = "out_of_archive"


def issue_read(issue: CardIssue, *, today: date) -> CardIssueRead:
    """An issue as the API shows it, `overdue` computed for `today` (the clinic's calendar)."""
    return CardIssueRead(
        id=issue.id,
        card_id=issue.card_id,
        recipient_kind=issue.recipient_kind,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        recipient_id=issue.recipient_id,
        recipient_name=issue.recipient_name,
        issued_at=issue.issued_at,
        issued_by=issue.issued_by,
        issued_by_username=issue.issued_by_username,
        due_back=issue.due_back,
        overdue=rules.is_overdue(issue.due_back, issue.returned_at, today),
        note=issue.note,
        returned_at=issue.returned_at,
        returned_by=issue.returned_by,
        returned_by_username=issue.returned_by_username,
        return_note=issue.return_note,
    )


def journaled(issue: CardIssue) -> dict[str, Any]:
    """What the card's journal shows of an issue (the `out_of_archive` value, JSON-ready)."""
    return {
        "issue_id": str(issue.id),
        "recipient_kind": issue.recipient_kind,
        "recipient_id": str(issue.recipient_id) if issue.recipient_id else None,
        "recipient_name": issue.recipient_name,
        "due_back": issue.due_back.isoformat(),
    }


def already_out(issue: CardIssue) -> Conflict:
    """409 naming the issue that holds the card."""
    return Conflict(
        f"The card is already out of the archive (issue {issue.id}, due back {issue.due_back.isoformat()}); "
        "return it before giving it out again.",
        code="card-out-of-archive",
        card_id=str(issue.card_id),
        issue_id=str(issue.id),
        recipient_kind=issue.recipient_kind,
        recipient_id=str(issue.recipient_id) if issue.recipient_id else None,
        recipient_name=issue.recipient_name,
        issued_at=issue.issued_at.isoformat(),
        due_back=issue.due_back.isoformat(),
    )


async def issue_card(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    card_id: uuid.UUID,
    data: CardIssueCreate,
    if_match: str | None = None,
) -> tuple[CardIssue, PatientCard]:
    """Give the card out («Выдать карту»): 409 when it is deleted or already out; 422 on a bad `due_back`.

    It makes a new card version, so the card's version is required (`If-Match`, 412/428).
    Returns the issue and the card."""
    settings = settings_of(runtime)
    card = await card_service.get_card(session, card_id=card_id, for_update=True)
    check_if_match(if_match, card, principal, required=True)
    today = clinic_today(settings.timezone)
    due_back = data.due_back or rules.default_due_back(today, await policy_service.card_out_days(session))
    if problem := rules.due_back_problem(due_back, today):
        raise ValidationFailed.field("due_back", problem, "invalid_due_back")
    if card.deleted:
        raise Conflict(
            "The card is deleted; restore it before giving it out.", code="card-deleted", card_id=str(card.id)
        )
    repository = CardIssueRepository(session)
    current = await repository.open_for_card(card.id)
    if current is not None:
        raise already_out(current)
    issue = CardIssue(
        id=uuid.uuid4(),
        card_id=card.id,
        recipient_kind=data.recipient_kind,
        recipient_id=data.recipient_id,
        recipient_name=data.recipient_name,
        recipient_name_norm=normalize_for_search(data.recipient_name),
        issued_at=utcnow(),
        issued_by=principal.user_id,
        issued_by_username=principal.username,
        due_back=due_back,
        note=data.note,
    )
    await repository.add(issue)
    await _journal(session, card, principal, action="issued", old=None, new=journaled(issue))
    await audit_service.record(session, principal=principal, action=AuditAction.ISSUE_CARD, card_ids=[card.id])
    log.info(
        "patients.card.issued",
        card_id=str(card.id),
        issue_id=str(issue.id),
        recipient_kind=issue.recipient_kind,
        due_back=due_back.isoformat(),
    )
    return issue, card


async def return_card(
    session: AsyncSession,
    *,
    principal: Principal,
    card_id: uuid.UUID,
    data: CardReturn | None,
    if_match: str | None = None,
) -> tuple[CardIssue, PatientCard]:
    """The card is back in the archive: 409 when it is not out. A deleted card can come back too.

    A new card version: the card's version is required (`If-Match`, 412/428). Returns the closed
    issue and the card."""
    card = await card_service.get_card(session, card_id=card_id, for_update=True)
    check_if_match(if_match, card, principal, required=True)
    current = await CardIssueRepository(session).open_for_card(card.id)
    if current is None:
        raise Conflict(
            "The card is in the archive: it was not given out.", code="card-in-archive", card_id=str(card.id)
        )
    current.returned_at = utcnow()
    current.returned_by = principal.user_id
    current.returned_by_username = principal.username
    current.return_note = data.note if data else None
    await _journal(session, card, principal, action="returned", old=journaled(current), new=None)
    await audit_service.record(session, principal=principal, action=AuditAction.RETURN_CARD, card_ids=[card.id])
    log.info("patients.card.returned", card_id=str(card.id), issue_id=str(current.id))
    return current, card


async def _journal(
    session: AsyncSession,
    card: PatientCard,
    principal: Principal,
    *,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    card_service.touch(card, principal)
    await session.flush()
    await history_service.record(
        session,
        card_id=card.id,
        version=card.version,
        action=action,
        principal=principal,
        changes=[{"field": OUT_FIELD, "old": old, "new": new}],
    )


async def list_for_card(
    session: AsyncSession, *, card_id: uuid.UUID, principal: Principal, limit: int, offset: int
) -> tuple[Sequence[CardIssue], int]:
    """Every time a card left the archive, newest first (the read is audited)."""
    await card_service.read_card(session, card_id=card_id, principal=principal, detail="card issues")
    return await CardIssueRepository(session).page_for_card(card_id, limit=limit, offset=offset)


async def list_out(
    session: AsyncSession, *, principal: Principal, filters: OutFilters, limit: int, offset: int
) -> tuple[Sequence[Row[CardIssue, PatientCard]], int]:
    """«Карты вне архива»: the cards out now with their issues; each card shown is audited as seen."""
    rows, total = await CardIssueRepository(session).page_out(filters, limit=limit, offset=offset)
    await audit_service.record(
        session,
        principal=principal,
        action=AuditAction.SEARCH,
        card_ids=[issue.card_id for issue, _ in rows],
        detail="cards out",
    )
    return rows, total
