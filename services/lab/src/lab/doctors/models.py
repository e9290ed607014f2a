"""Lab doctors (LAB-7): access to the lab module and the lab they work for."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class LabDoctor(Base):
    __tablename__ = "lab_doctors"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    lab_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("labs.id"))
    has_access: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
