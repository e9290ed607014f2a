"""Issuing attach codes and using them up (OND-2, OND-3)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.errors import Conflict, NotFound, ServiceUnavailable, TooManyRequests, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.attach import rules
from ondoc_bridge.attach.models import AttachCode
from ondoc_bridge.attach.repository import AttachCodeRepository
from ondoc_bridge.cards import service as cards_service
from ondoc_bridge.cards.models import CardCopy
from ondoc_bridge.config import service as config_service
from ondoc_bridge.links.repository import LinkRepository
from ondoc_bridge.problem_types import ALREADY_ATTACHED, ATTACH_CODES_LIMITED, CARD_DELETED, CARD_INCOMPLETE

log = get_logger(__name__)
GENERATION_ATTEMPTS = 8


async def issue_code(
    session: AsyncSession,
    *,
    runtime: ServiceRuntime,
    patient_id: uuid.UUID,
    principal: Principal,
    per_hour: int,
    now: datetime,
) -> AttachCode:
    """A fresh code for a complete card; earlier live codes of the card stop working.
    `ondoc.attach_code_issued` goes out in the same transaction for the notifier (NOT-8)."""
    config = await config_service.load(session)
    config_service.require_enabled(config)
    if await cards_service.find_card(session, runtime=runtime, patient_id=patient_id) is None:
        raise NotFound("No patient card with this id.")
    # Lock the card copy: two requests for one card are counted against the rate limit in turn.
    card = (await session.execute(select(CardCopy).where(CardCopy.id == patient_id).with_for_update())).scalar_one()
    if card.deleted:
        raise Conflict("The card is deleted; restore it before attaching the patient to ONDOC.", code=CARD_DELETED)
    missing = rules.missing_card_data(card)
    if missing:
        raise ValidationFailed(
            "The card lacks data ONDOC needs: " + ", ".join(name for name, _ in missing),
            errors=[{"field": name, "code": "required_for_ondoc", "message": message} for name, message in missing],
            code=CARD_INCOMPLETE,
        )
    if await LinkRepository(session).attached_for_patient(patient_id) is not None:
        raise Conflict("The patient is already attached to ONDOC; detach first to attach again.", code=ALREADY_ATTACHED)
    codes = AttachCodeRepository(session)
    wait = rules.retry_after_seconds(
        await codes.issued_since(patient_id, now - rules.RATE_WINDOW), now=now, per_hour=per_hour
    )
    if wait is not None:
        raise TooManyRequests(
            f"At most {per_hour} codes per patient per hour; try again later.",
            retry_after=wait,
            code=ATTACH_CODES_LIMITED,
        )
    await codes.release_expired(now)
    await codes.revoke_live_of(patient_id, now)
    attach_code = await _insert_unique(
        session,
        patient_id=patient_id,
        contact_priority=config.contact_priority,
        expires_at=now + timedelta(minutes=config.attach_code_ttl_minutes),
        principal=principal,
        now=now,
    )
    event = rules.issued_event(
        patient_id=patient_id,
        code=attach_code.code,
        expires_at=attach_code.expires_at,
        contact_priority=attach_code.contact_priority,
    )
    await runtime.publish(session, "ondoc.attach_code_issued", event, aggregate_id=attach_code.id, aggregate_version=1)
    log.info("ondoc.attach_code.issued", code_id=str(attach_code.id), patient_id=str(patient_id))
    return attach_code


async def _insert_unique(
    session: AsyncSession,
    *,
    patient_id: uuid.UUID,
    contact_priority: str,
    expires_at: datetime,
    principal: Principal,
    now: datetime,
) -> AttachCode:
    for _ in range(GENERATION_ATTEMPTS):
        code = rules.generate_code()
        attach_code = AttachCode(
            patient_id=patient_id,
            code=code,
            live_code=code,
            contact_priority=contact_priority,
            issued_at=now,
            expires_at=expires_at,
            issued_by_username=principal.username,
        )
        try:
            # A savepoint: a clash with another live code costs one retry, not the request.
            async with session.begin_nested():
                session.add(attach_code)
                await session.flush()
            return attach_code
        except IntegrityError:
            log.info("ondoc.attach_code.clash")
    raise ServiceUnavailable("Could not find a free attach code; try again.")


async def use_code(session: AsyncSession, *, code: str, now: datetime) -> AttachCode | None:
    """Use up a live code; None when it is unknown, expired, used or revoked (alike, on purpose)."""
    if not rules.is_code_shaped(code):
        return None
    attach_code = await AttachCodeRepository(session).live(code, now)
    if attach_code is None:
        return None
    attach_code.used_at = now
    attach_code.live_code = None
    await session.flush()
    return attach_code
