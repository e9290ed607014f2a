"""Results of an order's tests (LAB-6): one per ordered test."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class LabResult(Base):
    __tablename__ = "lab_results"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_orders.id"), index=True)
    order_test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_tests.id"), unique=True)
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_tests.id"))
    value: Mapped[str] = mapped_column(String(500))
    units: Mapped[str | None] = mapped_column(String(50))
    reference_low: Mapped[float | None] = mapped_column(Float)
    reference_high: Mapped[float | None] = mapped_column(Float)
    flag: Mapped[str | None] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_username: Mapped[str] = mapped_column(String(150))
