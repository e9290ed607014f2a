"""Patient cards: create, read, search, edit, delete and restore (PAT-1, 3, 5).

Every change bumps the card's version, journals the fields (PAT-8), records who did it
(GW-3) and queues its event, all in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_body_version, check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.phones import InvalidPhone, phone_search_key
from clinic_shared.service import ServiceRuntime
from patients import events
from patients.audit import service as audit_service
from patients.audit.schemas import AuditAction
from patients.card_issues.models import CardIssue
from patients.card_issues.repository import CardIssueRepository
from patients.card_issues.rules import is_overdue
from patients.cards import creation, rules
from patients.cards.creation import format_card_number, settings_of
from patients.cards.models import TRACKED_FIELDS, PatientCard
from patients.cards.names import parse_search_terms
from patients.cards.repository import CardRepository
from patients.cards.schemas import CardCreate, CardOutOfArchive, CardRead, CardSearch, CardUpdate
from patients.history import rules as history_rules
from patients.history import service as history_service

log = get_logger(__name__)


def card_number_candidates(raw: str) -> list[str]:
    """What a typed card number may be stored as: as typed, and zero-padded when numeric."""
    number = raw.strip()
    if not number:
        return []
    candidates = [number]
    if number.isdigit() and len(number) <= 18:
        candidates.append(format_card_number(int(number)))
    return list(dict.fromkeys(candidates))


def card_read(card: PatientCard, *, today: date, minor_age: int, out: CardIssue | None = None) -> CardRead:
    """A card with its derived fields (age, minor flag) and, when given, its open issue (PAT-9)."""
    derived: dict[str, Any] = {
        "age": rules.age_on(card.birth_date, today) if card.birth_date else None,
        "is_minor": rules.is_minor(card.birth_date, today, minor_age),
        "out_of_archive": out_of_archive(out, today=today) if out is not None else None,
    }
    stored = {name: getattr(card, name) for name in CardRead.model_fields if name not in derived}
    return CardRead(**stored, **derived)


def out_of_archive(issue: CardIssue, *, today: date) -> CardOutOfArchive:
    """Where a card's paper copy is while it is out (PAT-9)."""
    return CardOutOfArchive(
        issue_id=issue.id,
        recipient_kind=issue.recipient_kind,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        recipient_id=issue.recipient_id,
        recipient_name=issue.recipient_name,
        issued_at=issue.issued_at,
        issued_by_username=issue.issued_by_username,
        due_back=issue.due_back,
        overdue=is_overdue(issue.due_back, issue.returned_at, today),
    )


async def card_reads(
    session: AsyncSession, cards: Sequence[PatientCard], *, today: date, minor_age: int
) -> list[CardRead]:
    """`card_read` of each card, with whether it is out of the archive (one query for all)."""
    out = await CardIssueRepository(session).open_for_cards([card.id for card in cards])
    return [card_read(card, today=today, minor_age=minor_age, out=out.get(card.id)) for card in cards]


async def get_card(session: AsyncSession, *, card_id: uuid.UUID, for_update: bool = False) -> PatientCard:
    """A card by id, deleted or not; 404 when there is none."""
    card = await CardRepository(session).get(card_id, for_update=for_update)
    if card is None:
        raise NotFound(f"Patient card {card_id} not found.")
    return card


async def read_card(
    session: AsyncSession, *, card_id: uuid.UUID, principal: Principal, detail: str | None = None
) -> PatientCard:
    """A card for a user to see; the read is audited."""
    card = await get_card(session, card_id=card_id)
    await audit_service.record(session, principal=principal, action=AuditAction.READ, card_ids=[card.id], detail=detail)
    return card


async def search_cards(
    session: AsyncSession,
    *,
    filters: CardSearch,
    principal: Principal,
    region: str,
    limit: int,
    offset: int,
) -> tuple[Sequence[PatientCard], int]:
    """Cards matching the filters, by name; each card shown is audited as seen."""
    phone = None
    if filters.phone and filters.phone.strip():
        try:
            phone = phone_search_key(filters.phone, region)
        except InvalidPhone as exc:
            raise ValidationFailed.field("phone", str(exc), "invalid_phone") from exc
    cards, total = await CardRepository(session).search(
        terms=parse_search_terms(filters.q),
        phone=phone,
        birth_date=filters.birth_date,
        card_numbers=card_number_candidates(filters.card_number or ""),
        include_deleted=filters.include_deleted,
        updated_since=filters.updated_since,
        limit=limit,
        offset=offset,
    )
    used = ",".join(name for name, value in filters.model_dump(exclude_defaults=True).items() if value)
    await audit_service.record(
        session, principal=principal, action=AuditAction.SEARCH, card_ids=[c.id for c in cards], detail=used or None
    )
    return cards, total


async def create_card(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    data: CardCreate,
    idempotency_key: str | None = None,
) -> PatientCard:
    """Create a card with the next card number; publishes `patient.created`.

    With an `idempotency_key` already used by this user, the card made then is returned.
    """
    checks = await creation.load_checks(session, settings_of(runtime))
    values = checks.prepare(data.model_dump())
    repository = CardRepository(session)
    if idempotency_key:
        earlier = await repository.reserve_creation_key(principal.user_id, idempotency_key)
        if earlier is not None and earlier.card_id is not None:
            return await read_card(session, card_id=earlier.card_id, principal=principal, detail="repeated create")
        if earlier is not None:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                code="card-request-in-progress",
            )
    [row] = await creation.insert_cards(
        session, runtime=runtime, principal=principal, prepared=[values], today=checks.today
    )
    card = await get_card(session, card_id=row["id"])
    if idempotency_key:
        await repository.link_creation_key(principal.user_id, idempotency_key, card.id)
    log.info("patients.card.created", card_id=str(card.id), card_number=card.card_number)
    return card


async def update_card(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    card_id: uuid.UUID,
    data: CardUpdate,
    if_match: str | None = None,
) -> PatientCard:
    """Change the fields sent; the resulting card must pass every check.

    The version the change was made from is required (`If-Match`, 428 without it unless a
    service calls; a `version` in the body is checked too): another one → 412 naming the current
    version, so one receptionist's edit never silently undoes another's. 409 on a deleted card.
    """
    settings = settings_of(runtime)
    card = await get_card(session, card_id=card_id, for_update=True)
    check_if_match(if_match, card, principal, required=True)
    check_body_version(data.version, card)
    if card.deleted:
        raise Conflict("The card is deleted; restore it before editing.", code="card-deleted", card_id=str(card.id))
    sent = data.model_dump(exclude_unset=True, exclude={"version"})
    merged = {**_stored_values(card), **sent}
    checks = await creation.load_checks(session, settings)
    values = checks.prepare(merged)
    before = card.snapshot()
    creation.apply_values(card, values)
    changes = history_rules.diff(before, card.snapshot())
    if not changes:
        await audit_service.record(
            session, principal=principal, action=AuditAction.UPDATE, card_ids=[card.id], detail="no changes"
        )
        return card
    touch(card, principal)
    changed = {c["field"] for c in changes}
    if {"mobile_phone", "other_phones"} & changed:
        await CardRepository(session).replace_phones(card.id, [card.mobile_phone or "", *card.other_phones])
    if set(rules.NAME_FIELDS) & changed:
        tokens = creation.name_tokens_of({f"{name}_norm": getattr(card, f"{name}_norm") for name in rules.NAME_FIELDS})
        await CardRepository(session).replace_name_tokens(card.id, tokens)
    await session.flush()
    await history_service.record(
        session, card_id=card.id, version=card.version, action="updated", principal=principal, changes=changes
    )
    await audit_service.record(
        session,
        principal=principal,
        action=AuditAction.UPDATE,
        card_ids=[card.id],
        detail=",".join(c["field"] for c in changes),
    )
    await events.publish_patient_event(
        runtime, session, "patient.updated", card, today=checks.today, minor_age=settings.minor_age
    )
    log.info("patients.card.updated", card_id=str(card.id), version=card.version)
    return card


async def set_deleted(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    card_id: uuid.UUID,
    deleted: bool,
    if_match: str | None = None,
) -> PatientCard:
    """Soft-delete or restore a card (PAT-5); doing it twice changes nothing the second time.

    `If-Match` is required (428) and checked (412), except that a repeat of a change already made
    succeeds whatever version it names (RFC 9110 13.1.1: a retry after a lost answer is no conflict).
    """
    settings = settings_of(runtime)
    card = await get_card(session, card_id=card_id, for_update=True)
    if card.deleted != deleted or if_match is None:
        check_if_match(if_match, card, principal, required=True)
    action = AuditAction.DELETE if deleted else AuditAction.RESTORE
    if card.deleted == deleted:
        await audit_service.record(session, principal=principal, action=action, card_ids=[card.id], detail="no changes")
        return card
    card.deleted = deleted
    card.deleted_at = utcnow() if deleted else None
    touch(card, principal)
    await session.flush()
    await history_service.record(
        session,
        card_id=card.id,
        version=card.version,
        action="deleted" if deleted else "restored",
        principal=principal,
        changes=[{"field": "deleted", "old": not deleted, "new": deleted}],
    )
    await audit_service.record(session, principal=principal, action=action, card_ids=[card.id])
    event_type: events.PatientEvent = "patient.deleted" if deleted else "patient.restored"
    today = rules.clinic_today(settings.timezone)
    await events.publish_patient_event(runtime, session, event_type, card, today=today, minor_age=settings.minor_age)
    log.info(
        "patients.card.deleted" if deleted else "patients.card.restored", card_id=str(card.id), version=card.version
    )
    return card


def _stored_values(card: PatientCard) -> dict[str, Any]:
    values = {name: getattr(card, name) for name in TRACKED_FIELDS}
    # Stored phones are E.164 digits: a leading '+' makes them parse without the region.
    values["mobile_phone"] = f"+{card.mobile_phone}" if card.mobile_phone else None
    values["other_phones"] = [f"+{p}" for p in card.other_phones or []]
    return values


def touch(card: PatientCard, principal: Principal) -> None:
    """A new version of the card, changed by `principal` now (the caller journals it)."""
    card.version += 1
    card.updated_at = utcnow()
    card.updated_by = principal.user_id
    card.updated_by_username = principal.username
