"""Charges seen (LAB-4): one row per charge id, so a redelivered charge makes no second order."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class ChargeRecord(Base):
    __tablename__ = "charges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    service_id: Mapped[uuid.UUID]
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    appointment_id: Mapped[uuid.UUID | None]
    charged_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(30))
    order_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
