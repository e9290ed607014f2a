"""The one row of ONDOC settings (OND-1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.clinic_time import clinic_zone_name
from clinic_shared.db import utcnow
from clinic_shared.secretbox import EncryptedJSON, EncryptedText
from ondoc_bridge.models import Base

CONFIG_ROW_ID = 1


class OndocConfig(Base):
    """Server, tokens, refresh interval, switches and callback secrets.

    The clinic zone is the platform's (`time_zone` reads it): the `time_zone` column once held
    a zone of the bridge's own and is kept, unread, only so that an older release can still run
    against this schema during a rolling upgrade (expand/contract); it goes in a later release.

    The bridge must present the tokens to ONDOC and sign-check callbacks with the secrets, so a
    one-way hash would not do: they are stored encrypted (CLINIC_SECRETS_KEY, see
    clinic_shared.secretbox) and every save re-encrypts them with the newest key. The API never
    returns them.
    """

    __tablename__ = "ondoc_config"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=CONFIG_ROW_ID)
    server_url: Mapped[str | None] = mapped_column(String(500))
    company_token: Mapped[str | None] = mapped_column(EncryptedText)
    branch_token: Mapped[str | None] = mapped_column(EncryptedText)
    retired_time_zone: Mapped[str] = mapped_column("time_zone", String(64))
    refresh_interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_priority: Mapped[str] = mapped_column(String(10), default="mobile")
    callback_secrets: Mapped[list[str]] = mapped_column(EncryptedJSON, default=list)
    attach_code_ttl_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))

    @property
    def time_zone(self) -> str:
        """The zone ONDOC times are written in: the platform's clinic zone (#14)."""
        return clinic_zone_name()
