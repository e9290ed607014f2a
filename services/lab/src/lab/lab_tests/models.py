"""Lab tests of each external lab (LAB-2): matched by (lab, code) across catalogue loads."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class LabTest(Base):
    __tablename__ = "lab_tests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    lab_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("labs.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(300))
    # Lower-case, ё → е copy of name and code for search on both databases.
    search_key: Mapped[str] = mapped_column(String(400), default="")
    container_type: Mapped[str] = mapped_column(String(100))
    sample_type: Mapped[str | None] = mapped_column(String(100))
    study_type: Mapped[str | None] = mapped_column(String(100), index=True)
    units: Mapped[str | None] = mapped_column(String(50))
    reference_low: Mapped[float | None] = mapped_column(Float)
    reference_high: Mapped[float | None] = mapped_column(Float)
    critical_low: Mapped[float | None] = mapped_column(Float)
    critical_high: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("lab_id", "code"),)
