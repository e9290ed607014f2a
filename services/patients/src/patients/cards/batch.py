"""POST /cards/batch: find or create many cards at once, all or nothing (imports, PAT-1).

Every card is checked with the rules of POST /cards; one invalid card refuses the whole
batch, naming every invalid card as `cards.<index>.<field>`. With `match_existing`, a card
with the same normalised last, first and middle name and the same birth date as a
non-deleted card (or as an earlier card of the batch) gets that card instead of a new one;
a card without a birth date never matches. New cards are created exactly as POST /cards
creates them (`creation.insert_cards`), with a few statements for the whole batch.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.errors import Conflict, ValidationFailed
from clinic_shared.gc_pause import gc_paused
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from patients.audit import service as audit_service
from patients.audit.schemas import AuditAction
from patients.cards import creation
from patients.cards.creation import CardChecks
from patients.cards.models import CardBatchKey
from patients.cards.repository import CardRepository, PersonKey
from patients.cards.schemas import CardBatch, CardBatchItem, CardBatchResult, CardCreate

log = get_logger(__name__)

# Invalid cards listed by index in the detail line; the `errors` list always holds all of them.
_DETAIL_INDEXES = 20


async def import_cards(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    batch: CardBatch,
    idempotency_key: str | None = None,
) -> CardBatchResult:
    """Match or create every card of `batch`; ValidationFailed (nothing written) when any is invalid.

    With an `idempotency_key` this user already used for the same request, the first answer is
    returned again; a dry run neither uses nor records a key.
    """
    # Up to 5000 cards' rows, journal entries and events live until the end: see clinic_shared.gc_pause.
    with gc_paused():
        return await _import_cards(
            session, runtime=runtime, principal=principal, batch=batch, idempotency_key=idempotency_key
        )


async def _import_cards(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    principal: Principal,
    batch: CardBatch,
    idempotency_key: str | None,
) -> CardBatchResult:
    repository = CardRepository(session)
    key = idempotency_key if idempotency_key and not batch.dry_run else None
    if key:
        fingerprint = request_fingerprint(batch)
        earlier = await repository.reserve_batch_key(principal.user_id, key, fingerprint)
        if earlier is not None:
            return await _repeated(session, principal=principal, fingerprint=fingerprint, earlier=earlier)
    checks = await creation.load_checks(session, creation.settings_of(runtime))
    prepared = check_cards(batch.raw_cards, checks)
    if not batch.dry_run:
        # From here until commit no one else creates cards: what we match stays the truth.
        await creation.lock_card_numbers(session)
    keys = [creation.person_key(values) if batch.match_existing else None for values in prepared]
    existing = await repository.find_people({k for k in keys if k is not None}) if batch.match_existing else {}
    plan = plan_batch(keys, existing)
    ids: dict[int, uuid.UUID] = {}
    if not batch.dry_run:
        rows = await creation.insert_cards(
            session, runtime=runtime, principal=principal, prepared=[prepared[i] for i in plan.new], today=checks.today
        )
        ids = {index: row["id"] for index, row in zip(plan.new, rows, strict=True)}
    result = plan.result(ids)
    if plan.matched_existing:
        # Telling the caller "this person has card X" is reading the card (GW-3), dry run or not.
        await audit_service.record(
            session,
            principal=principal,
            action=AuditAction.SEARCH,
            card_ids=sorted(set(plan.matched_existing.values())),
            detail="batch match",
        )
    if key:
        await repository.save_batch_result(principal.user_id, key, result.model_dump(mode="json"))
    log.info(
        "patients.cards.batch",
        cards=len(prepared),
        created=result.created,
        matched=result.matched,
        dry_run=batch.dry_run,
    )
    return result


def check_cards(raw_cards: Sequence[Any], checks: CardChecks) -> list[dict[str, Any]]:
    """Prepared values of every card; ValidationFailed naming `cards.<index>.<field>` of all bad ones."""
    prepared: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    invalid: list[int] = []
    for index, raw in enumerate(raw_cards):
        prefix = f"cards.{index}"
        try:
            prepared.append(checks.prepare(CardCreate.model_validate(raw).model_dump()))
        except ValidationError as exc:
            invalid.append(index)
            # The message only, never the input: names and phones stay out of the answer's echo.
            errors += [
                {"field": ".".join([prefix, *(str(p) for p in e["loc"])]), "code": e["type"], "message": e["msg"]}
                for e in exc.errors()
            ]
        except ValidationFailed as exc:
            invalid.append(index)
            errors += [
                {**e, "field": f"{prefix}.{e['field']}"} for e in exc.errors or [{"field": "", "message": exc.detail}]
            ]
    if errors:
        shown = ", ".join(str(i) for i in invalid[:_DETAIL_INDEXES]) + (" …" if len(invalid) > _DETAIL_INDEXES else "")
        raise ValidationFailed(
            f"{len(invalid)} of {len(raw_cards)} cards are invalid (indexes {shown}); nothing was saved.",
            errors=[{**e, "field": e["field"].rstrip(".")} for e in errors],
        )
    return prepared


class BatchPlan:
    """Which cards of a batch are new, which match an existing card, which repeat an earlier one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.new: list[int] = []
        self.matched_existing: dict[int, uuid.UUID] = {}
        self.same_as: dict[int, int] = {}  # index → index of the earlier new card it repeats

    def result(self, ids: Mapping[int, uuid.UUID]) -> CardBatchResult:
        """The answer, given the ids of the created cards (none in a dry run)."""
        items = []
        for index in range(self.size):
            if index in self.matched_existing:
                items.append(CardBatchItem(index=index, id=self.matched_existing[index], created=False, matched=True))
            elif index in self.same_as:
                items.append(CardBatchItem(index=index, id=ids.get(self.same_as[index]), created=False, matched=True))
            else:
                items.append(CardBatchItem(index=index, id=ids.get(index), created=True, matched=False))
        return CardBatchResult(
            items=items, created=len(self.new), matched=len(self.matched_existing) + len(self.same_as)
        )


def plan_batch(keys: Sequence[PersonKey | None], existing: Mapping[PersonKey, uuid.UUID]) -> BatchPlan:
    """Decide each card: an existing card, the first card of the batch with its key, or a new card.

    A card without a key (no birth date, or matching switched off) is always new.
    """
    plan = BatchPlan(len(keys))
    first: dict[PersonKey, int] = {}
    for index, key in enumerate(keys):
        if key is not None and key in existing:
            plan.matched_existing[index] = existing[key]
        elif key is not None and key in first:
            plan.same_as[index] = first[key]
        else:
            plan.new.append(index)
            if key is not None:
                first[key] = index
    return plan


def request_fingerprint(batch: CardBatch) -> str:
    """SHA-256 of what the request asks for: a key reused for another request is refused."""
    canonical = json.dumps(
        {"cards": batch.raw_cards, "match_existing": batch.match_existing},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _repeated(
    session: AsyncSession, *, principal: Principal, fingerprint: str, earlier: CardBatchKey
) -> CardBatchResult:
    if earlier.fingerprint != fingerprint:
        raise ValidationFailed.field(
            "Idempotency-Key", "was already used for a different request", "idempotency_key_reused"
        )
    if earlier.result is None:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            code="card-request-in-progress",
        )
    result = CardBatchResult.model_validate(earlier.result)
    ids = sorted({item.id for item in result.items if item.id is not None})
    await audit_service.record(
        session, principal=principal, action=AuditAction.SEARCH, card_ids=ids, detail="repeated batch"
    )
    return result
