"""Calculations (калькуляция): the planned positions, headcounts, factors and prices of an exam (PRO-5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from profexam.models import Base


class Calculation(Base):
    __tablename__ = "calculations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    exam_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    total_price: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    # The contract whose price list priced the lines when the calculation was saved (PRO-7); null: none applied.
    contract_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]


class CalculationPosition(Base):
    __tablename__ = "calculation_positions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    calculation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calculations.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    headcount: Mapped[int] = mapped_column(Integer)
    harmful_factor_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # PRO-7: the exam service the line is priced by, and where its price came from (contract | line).
    service_code: Mapped[str | None] = mapped_column(String(50))
    price_source: Mapped[str | None] = mapped_column(String(10))
