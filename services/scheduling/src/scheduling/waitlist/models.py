"""A waiting-list entry: a patient waiting for a slot, with or without a wished date (SCH-7)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    mobile_phone: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    doctor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("doctors.id"), index=True)
    specialization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("specializations.id"))
    # No wished date: the entry is listed on every date (undated entries are always shown).
    wished_date: Mapped[date | None] = mapped_column(Date, index=True)
    wished_time_from: Mapped[str | None] = mapped_column(String(5))
    wished_time_to: Mapped[str | None] = mapped_column(String(5))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    # What a booking from the entry gets again: [{"service_id", "quantity", "price"}].
    services: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    kind_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment_kinds.id"))
    info_source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("info_sources.id"))
    record_type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("record_types.id"))
    source_appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]
    created_by_username: Mapped[str | None] = mapped_column(String(150))
