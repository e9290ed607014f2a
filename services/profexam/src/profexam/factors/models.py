"""The harmful factor dictionary (Order 29n) and organisations' own codes mapped to it (PRO-4)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from profexam.models import Base


class HarmfulFactor(Base):
    __tablename__ = "harmful_factors"

    # Codes are text: "1.10" is not "1.1".
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    title_norm: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(30), index=True)
    position: Mapped[int] = mapped_column(Integer)


class FactorMapping(Base):
    """An organisation's code (as written in its files) → a dictionary code."""

    __tablename__ = "factor_mappings"
    __table_args__ = (UniqueConstraint("organization_id", "source_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    source_code: Mapped[str] = mapped_column(String(100))
    factor_code: Mapped[str] = mapped_column(ForeignKey("harmful_factors.code"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
