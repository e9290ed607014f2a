"""Read and change the scheduling settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.logging import get_logger
from scheduling.preferences import repository
from scheduling.preferences.models import BookingSettings
from scheduling.preferences.schemas import PreferencesRead, PreferencesUpdate

log = get_logger(__name__)


async def current(session: AsyncSession) -> BookingSettings:
    """The settings in force."""
    return await repository.get_or_create(session)


async def update(session: AsyncSession, *, principal: Principal, data: PreferencesUpdate) -> BookingSettings:
    """Change the settings sent."""
    row = await repository.get_or_create(session, for_update=True)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by_username = principal.username
    await session.flush()
    log.info("scheduling.settings.updated", by=principal.username)
    return row


def present(row: BookingSettings, *, timezone: str) -> PreferencesRead:
    """The settings as the API shows them."""
    return PreferencesRead(
        grid_step_minutes=row.grid_step_minutes,
        deletion_reason_required=row.deletion_reason_required,
        booking_horizon_days=row.booking_horizon_days,
        booking_past_days=row.booking_past_days,
        timezone=timezone,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
    )
