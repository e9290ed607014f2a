"""The notifier's own settings (NOT-1): one row, the document stored as JSON."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.secretbox import EncryptedText
from notifier.models import Base

SETTINGS_ROW_ID = 1


class NotifierSettingsRow(Base):
    """Secrets are stored here server-side and never returned in clear by the API.

    The whole document is encrypted (CLINIC_SECRETS_KEY, see clinic_shared.secretbox): it holds
    provider passwords and tokens next to plain settings, nothing queries inside it, and one
    encrypted value is simpler than splitting it. Every save re-encrypts it with the newest key.
    """

    __tablename__ = "notifier_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime]
    updated_by: Mapped[uuid.UUID | None]
    updated_by_username: Mapped[str | None] = mapped_column(String(150))
