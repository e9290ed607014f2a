"""Cards out of the archive (PAT-9): /cards/{id}/issues, /cards/{id}/return, /cards-out."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from patients.card_issues import rules, service
from patients.card_issues.models import RECIPIENT_NAME_MAX_LENGTH
from patients.card_issues.repository import OutFilters
from patients.card_issues.schemas import (
    CardIssueCreate,
    CardIssueRead,
    CardOutRead,
    CardReturn,
    CardSummary,
    RecipientKind,
)
from patients.cards.names import normalize_for_search
from patients.cards.rules import clinic_today
from patients.cards.schemas import PlainText
from patients.deps import Reader, SettingsDep, Writer

router = APIRouter(tags=["cards out of the archive"])


@router.post("/cards/{card_id}/issues", status_code=status.HTTP_201_CREATED)
async def issue_card(
    card_id: uuid.UUID,
    data: CardIssueCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> CardIssueRead:
    """Give the paper card out of the archive to a doctor or a department («Выдать карту»).

    409 when the card is deleted or already out (the answer names the current issue). It makes a
    new version of the card: `If-Match` with the card's `ETag` is required (412/428), and the
    answer's `ETag` is the card's new version.
    """
    issue, card = await service.issue_card(
        session, runtime=runtime, principal=principal, card_id=card_id, data=data, if_match=if_match
    )
    set_etag(response, card)
    return service.issue_read(issue, today=clinic_today(settings.timezone))


@router.post("/cards/{card_id}/return")
async def return_card(
    card_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    data: CardReturn | None = None,
    if_match: IfMatch = None,
) -> CardIssueRead:
    """The paper card is back in the archive; answers the closed issue. 409 when it is not out.

    A new version of the card: `If-Match` with the card's `ETag` is required (412/428); the
    answer's `ETag` is the card's new version."""
    issue, card = await service.return_card(session, principal=principal, card_id=card_id, data=data, if_match=if_match)
    set_etag(response, card)
    return service.issue_read(issue, today=clinic_today(settings.timezone))


@router.get("/cards/{card_id}/issues")
async def list_card_issues(
    card_id: uuid.UUID, session: SessionDep, settings: SettingsDep, page: PageDep, principal: Reader
) -> Page[CardIssueRead]:
    """Every time the card left the archive, newest first."""
    issues, total = await service.list_for_card(
        session, card_id=card_id, principal=principal, limit=page.limit, offset=page.offset
    )
    today = clinic_today(settings.timezone)
    return Page(items=[service.issue_read(issue, today=today) for issue in issues], total=total)


@router.get("/cards-out")
async def list_cards_out(
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    principal: Reader,
    recipient_kind: RecipientKind | None = None,
    recipient_id: uuid.UUID | None = None,
    recipient: Annotated[
        str | None,
        Query(max_length=RECIPIENT_NAME_MAX_LENGTH, description="part of the recipient's name, any case"),
        PlainText,
    ] = None,
    overdue: Annotated[bool | None, Query(description="true: only overdue; false: only not yet due")] = None,
    issued_from: Annotated[date | None, Query(description="given out on this day (clinic calendar) or later")] = None,
    issued_to: Annotated[date | None, Query(description="given out on this day (clinic calendar) or earlier")] = None,
) -> Page[CardOutRead]:
    """«Карты вне архива»: the cards given out and not yet returned, the earliest due first."""
    since, until = rules.issued_between(issued_from, issued_to, settings.timezone)
    today = clinic_today(settings.timezone)
    filters = OutFilters(
        recipient_kind=recipient_kind,
        recipient_id=recipient_id,
        recipient=normalize_for_search(recipient) or None,
        overdue=overdue,
        today=today,
        issued_since=since,
        issued_until=until,
    )
    rows, total = await service.list_out(
        session, principal=principal, filters=filters, limit=page.limit, offset=page.offset
    )
    items = [
        CardOutRead(**service.issue_read(issue, today=today).model_dump(), card=CardSummary.model_validate(card))
        for issue, card in rows
    ]
    return Page(items=items, total=total)
