"""Settings of the whole platform (today: the clinic's time zone), kept by the gateway and
broadcast to every process (clinic_shared.clinic_time).

`GET /api/platform/settings` answers any logged-in user (a front end shows times in this zone);
`PUT` needs `gateway.settings` and `If-Match` with the GET's `ETag` (gateway/platform_router.py).
A change is stored, applied in this process, broadcast at once and repeated with the
revocations (gateway/sessions.py), so every process — and one that starts later — uses the
same zone within seconds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.bus import EventBus
from clinic_shared.clinic_time import PLATFORM_SETTINGS_TOPIC, ClinicDateTime, apply_platform_settings, is_time_zone
from clinic_shared.db import Database, utcnow
from clinic_shared.logging import get_logger
from gateway.models import PlatformSettingsRow
from gateway.settings import GatewaySettings

log = get_logger(__name__)
ROW_ID = 1


class PlatformSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    timezone: str = Field(description="the clinic's time zone (IANA name): every service's wall clock")
    updated_at: ClinicDateTime
    updated_by: str | None


class PlatformSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(min_length=1, max_length=64, examples=["Europe/Moscow"])

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError("must be an IANA time zone, e.g. Europe/Moscow or Asia/Yekaterinburg")
        return value


class Platform:
    """The stored settings and telling every process about them."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.bus: EventBus | None = None

    async def stored(self, session: AsyncSession, *, for_update: bool = False) -> PlatformSettingsRow:
        """The row, made from `CLINIC_TIMEZONE` on the first start; `for_update` locks it until
        the change commits (PUT checks If-Match on it)."""
        row = await session.get(PlatformSettingsRow, ROW_ID, with_for_update=True if for_update else None)
        if row is None:
            row = PlatformSettingsRow(id=ROW_ID, timezone=self.settings.timezone, updated_at=utcnow())
            session.add(row)
            await session.flush()
        return row

    def payload(self, row: PlatformSettingsRow) -> dict[str, object]:
        # changed_at orders the broadcasts: a receiver ignores settings older than its own.
        return {"timezone": row.timezone, "changed_at": row.updated_at.isoformat()}

    async def announce(self, row: PlatformSettingsRow) -> None:
        """Apply here and broadcast (after the change has committed)."""
        payload = self.payload(row)
        apply_platform_settings(self.settings, payload)
        if self.bus is None:
            return
        try:
            await self.bus.broadcast(PLATFORM_SETTINGS_TOPIC, payload)
        except Exception as exc:  # the next periodic pass repeats it
            log.warning("platform.settings.broadcast_failed", error=type(exc).__name__)

    async def repeat(self, db: Database) -> None:
        """One periodic pass: read the settings, apply them here, broadcast them."""
        async with db.session() as session:
            row = await self.stored(session)
        await self.announce(row)
