"""Card settings: one row holding the required-data policy (PAT-2) and the card-out period (PAT-9)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from patients.card_issues.rules import DEFAULT_OUT_DAYS
from patients.models import Base

SETTINGS_ROW_ID = 1


class CardSettings(Base):
    __tablename__ = "card_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    required_fields_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # PAT-9: days a paper card given out of the archive may stay out when no due date is named.
    card_out_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_OUT_DAYS, server_default=str(DEFAULT_OUT_DAYS))
    # Set once the default sex endings were loaded, so endings staff delete stay deleted.
    sex_endings_seeded: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[uuid.UUID | None]
    updated_by_username: Mapped[str | None] = mapped_column(String(150))
