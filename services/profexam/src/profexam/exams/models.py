"""Exams (профосмотр) of an organisation and the employees listed in them (PRO-1, PRO-2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from profexam.models import Base


class Exam(Base):
    __tablename__ = "exams"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contracts.id"))
    name: Mapped[str] = mapped_column(String(300))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Employee(Base):
    """A patient listed in an exam, with a copy of the card's name kept fresh by `patient.updated`."""

    __tablename__ = "employees"
    __table_args__ = (UniqueConstraint("exam_id", "patient_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    exam_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The card's human number in patients (shown in exports); null until profexam learns it:
    # imports through /cards/batch get ids only, so the first export fetches the missing ones.
    card_number: Mapped[str | None] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(6))
    phone: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    exam_type: Mapped[int] = mapped_column(SmallInteger, default=1)
    working_conditions: Mapped[str | None] = mapped_column(String(4))
    harmful_factor_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20))
    import_id: Mapped[uuid.UUID | None]
    calculation_id: Mapped[uuid.UUID | None]
    # The card version the name copy comes from (0: as typed here); older events are ignored.
    patient_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]

    @property
    def updated_at(self) -> datetime:
        """The row's version (its ETag): the API never edits a listed employee (only removes
        one), so it is when they were listed."""
        return self.created_at
