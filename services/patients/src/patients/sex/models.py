"""The editable dictionary "sex by patronymic ending" (PAT-6)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from patients.models import Base


class SexEnding(Base):
    __tablename__ = "sex_endings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    ending: Mapped[str] = mapped_column(String(20), unique=True)
    sex: Mapped[str] = mapped_column(String(6))
    # Bumped by every edit: the ETag a PATCH or DELETE names in If-Match.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
