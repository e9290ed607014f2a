"""/cards: the card archive (PAT-1, PAT-3, PAT-5)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.dates import ApiAwareDateTime
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from patients.cards import batch as batch_service
from patients.cards import service
from patients.cards.models import PatientCard
from patients.cards.rules import clinic_today
from patients.cards.schemas import (
    CardBatch,
    CardBatchResult,
    CardCreate,
    CardRead,
    CardSearch,
    CardUpdate,
    PlainText,
)
from patients.deps import Deleter, Reader, SettingsDep, Writer
from patients.settings import PatientsSettings

router = APIRouter(prefix="/cards", tags=["cards"])


@router.get("")
async def search_cards(
    session: SessionDep,
    settings: SettingsDep,
    principal: Reader,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=200, description="name words, each a prefix of a name part"), PlainText
    ] = None,
    phone: Annotated[str | None, Query(max_length=32, description="any format, or 4+ digits of it"), PlainText] = None,
    birth_date: date | None = None,
    card_number: Annotated[str | None, Query(max_length=32), PlainText] = None,
    include_deleted: bool = False,
    updated_since: Annotated[
        ApiAwareDateTime | None,
        Query(
            description="only cards created, changed or deleted at or after this instant (deleted ones "
            "included), oldest change first: for clients that poll"
        ),
    ] = None,
) -> Page[CardRead]:
    """Find cards by name, phone, birth date or card number, ordered by name; with `updated_since`,
    the cards changed since then (deleted ones too), oldest change first."""
    filters = CardSearch(
        q=q,
        phone=phone,
        birth_date=birth_date,
        card_number=card_number,
        include_deleted=include_deleted,
        updated_since=updated_since,
    )
    cards, total = await service.search_cards(
        session,
        filters=filters,
        principal=principal,
        region=settings.phone_region,
        limit=page.limit,
        offset=page.offset,
    )
    today = clinic_today(settings.timezone)
    return Page(items=await service.card_reads(session, cards, today=today, minor_age=settings.minor_age), total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_card(
    data: CardCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=128, description="repeat with the same key → the same card"),
    ] = None,
) -> CardRead:
    """Create a card; the card number is assigned. The answer's `ETag` is its version."""
    card = await service.create_card(
        session, runtime=runtime, principal=principal, data=data, idempotency_key=idempotency_key
    )
    set_etag(response, card)
    return service.card_read(card, today=clinic_today(settings.timezone), minor_age=settings.minor_age)


@router.post("/batch")
async def import_cards(
    batch: CardBatch,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Writer,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=128, description="repeat with the same key → the same answer"),
    ] = None,
) -> CardBatchResult:
    """Find or create up to 5000 cards at once (imports); one invalid card → 422 naming every invalid one.

    With `match_existing`, a card with the same names (case and ё/е aside) and birth date as a
    non-deleted card, or as an earlier card of the batch, gets that card's id instead of a new
    card. `dry_run` checks and matches only (`id` is null for the cards it would create).
    """
    return await batch_service.import_cards(
        session, runtime=runtime, principal=principal, batch=batch, idempotency_key=idempotency_key
    )


@router.get("/{card_id}")
async def get_card(
    card_id: uuid.UUID, session: SessionDep, settings: SettingsDep, principal: Reader, response: Response
) -> CardRead:
    """A card, also when deleted (`deleted: true`), so it can be restored; `out_of_archive` tells
    to whom the paper card was given out (PAT-9). `ETag`: its version, for `If-Match` on edits."""
    card = await service.read_card(session, card_id=card_id, principal=principal)
    set_etag(response, card)
    return await _read(session, settings, card)


@router.patch("/{card_id}")
async def update_card(
    card_id: uuid.UUID,
    data: CardUpdate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> CardRead:
    """Change some fields of a card. `If-Match` (the `ETag` of the card read) is required: another
    version → 412 with the current one, none → 428; a `version` in the body is checked the same way."""
    card = await service.update_card(
        session, runtime=runtime, principal=principal, card_id=card_id, data=data, if_match=if_match
    )
    set_etag(response, card)
    return await _read(session, settings, card)


@router.delete("/{card_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_card(
    card_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, principal: Deleter, if_match: IfMatch = None
) -> Response:
    """Soft-delete a card: hidden from search, kept for restore. `If-Match` required (412/428)."""
    card = await service.set_deleted(
        session, runtime=runtime, principal=principal, card_id=card_id, deleted=True, if_match=if_match
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    set_etag(response, card)
    return response


@router.post("/{card_id}/restore")
async def restore_card(
    card_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Deleter,
    response: Response,
    if_match: IfMatch = None,
) -> CardRead:
    """Bring a deleted card back. `If-Match` required (412/428)."""
    card = await service.set_deleted(
        session, runtime=runtime, principal=principal, card_id=card_id, deleted=False, if_match=if_match
    )
    set_etag(response, card)
    return await _read(session, settings, card)


async def _read(session: AsyncSession, settings: PatientsSettings, card: PatientCard) -> CardRead:
    [read] = await service.card_reads(
        session, [card], today=clinic_today(settings.timezone), minor_age=settings.minor_age
    )
    return read
