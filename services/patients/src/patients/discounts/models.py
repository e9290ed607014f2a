"""Discount cards issued to patients (PAT-7)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from patients.models import Base


class DiscountCard(Base):
    __tablename__ = "discount_cards"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cards.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # Hundredths of a percent in an integer: exact on both databases (SQLite has no decimal).
    percent_hundredths: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[uuid.UUID | None]
    issued_by_username: Mapped[str | None] = mapped_column(String(150))

    @property
    def percent(self) -> Decimal:
        return Decimal(self.percent_hundredths) / 100
