"""Card settings (PAT-2, PAT-9) and the first-start seeding of the sex dictionary."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.logging import get_logger
from patients.policy.models import CardSettings
from patients.policy.repository import CardSettingsRepository
from patients.policy.schemas import CardSettingsUpdate
from patients.sex import service as sex_service

log = get_logger(__name__)


async def get_settings(session: AsyncSession) -> CardSettings:
    """The current card settings."""
    return await CardSettingsRepository(session).current()


async def required_fields_enabled(session: AsyncSession) -> bool:
    """Whether the PAT-2 policy is on."""
    return (await get_settings(session)).required_fields_enabled


async def card_out_days(session: AsyncSession) -> int:
    """Days a card given out of the archive may stay out when no due date is named (PAT-9)."""
    return (await get_settings(session)).card_out_days


async def update_settings(
    session: AsyncSession, *, data: CardSettingsUpdate, principal: Principal, if_match: str | None = None
) -> CardSettings:
    """Switch the required-data policy on or off; set the card-out period when given.

    The version the change was made from is required (`If-Match`: 412 on another, 428 without)."""
    row = await CardSettingsRepository(session).current(for_update=True)
    check_if_match(if_match, row, principal, required=True)
    row.required_fields_enabled = data.required_fields_enabled
    if data.card_out_days is not None:
        row.card_out_days = data.card_out_days
    row.updated_at = utcnow()
    row.updated_by = principal.user_id
    row.updated_by_username = principal.username
    await session.flush()
    log.info(
        "patients.settings.updated",
        required_fields_enabled=row.required_fields_enabled,
        card_out_days=row.card_out_days,
    )
    return row


async def seed_defaults(session: AsyncSession) -> None:
    """Load the default sex endings once per database (replicas serialise on the row lock)."""
    row = await CardSettingsRepository(session).current(for_update=True)
    if row.sex_endings_seeded:
        return
    added = await sex_service.seed_defaults(session)
    row.sex_endings_seeded = True
    await session.flush()
    log.info("patients.sex_endings.seeded", added=added)
