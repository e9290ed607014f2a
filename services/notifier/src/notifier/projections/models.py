"""Read models fed by other services' events: what the notifier needs to address and render messages.

Each row keeps the indexed columns the planner queries plus the event's full state as JSON
(`data`), so a template can use any field without a migration.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notifier.models import Base


class AppointmentProjection(Base):
    """An appointment as scheduling last told us (AppointmentState)."""

    __tablename__ = "appointments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    start: Mapped[datetime] = mapped_column(index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class PatientProjection(Base):
    """A patient card's names and contacts (PatientState)."""

    __tablename__ = "patients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    # "MM-DD" of the birth date: birthdays are found by an indexed lookup, not a scan.
    birth_month_day: Mapped[str | None] = mapped_column(String(5), index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class DiscountCardProjection(Base):
    """A discount card issued to a patient (DiscountCardIssued)."""

    __tablename__ = "discount_cards"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[str] = mapped_column(String(64))
    percent: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime]
