"""Appointments, their services, change journal and status history.

An appointment keeps copies of the patient's name, phone and birth date (typed in for a
primary patient, copied from the card otherwise) so lists and reminders never depend on
another service being up. `version` grows with every change and is the events'
`aggregate_version`.

On PostgreSQL two exclusion constraints (added by the migration) make overlapping active,
non-overbooked appointments of one doctor or one cabinet impossible, whatever the timing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_shared.db import utcnow
from scheduling.models import Base

DOCTOR_OVERLAP_CONSTRAINT = "ex_appointments_doctor_overlap"
CABINET_OVERLAP_CONSTRAINT = "ex_appointments_cabinet_overlap"


class AppointmentServiceLine(Base):
    """A price-list service booked with an appointment (quantity and the agreed price)."""

    __tablename__ = "appointment_services"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    doctor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("doctors.id"))
    cabinet_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cabinets.id"), index=True)
    # The cabinet's building, else the doctor's: what the building filter and reminders use.
    building_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(index=True)
    end_at: Mapped[datetime]
    patient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name_norm: Mapped[str] = mapped_column(String(100), index=True)
    first_name_norm: Mapped[str] = mapped_column(String(100), index=True)
    middle_name_norm: Mapped[str] = mapped_column(String(100), default="")
    mobile_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    assistant: Mapped[str | None] = mapped_column(String(200))
    agent: Mapped[str | None] = mapped_column(String(200))
    kind_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment_kinds.id"))
    info_source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("info_sources.id"))
    record_type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("record_types.id"), index=True)
    communication_status_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("communication_statuses.id"))
    status_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointment_statuses.id"), index=True)
    status_changed_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    overbooked: Mapped[bool] = mapped_column(Boolean, default=False)
    processed: Mapped[bool] = mapped_column(Boolean, default=False)
    processed_at: Mapped[datetime | None]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[uuid.UUID | None]
    deleted_by_username: Mapped[str | None] = mapped_column(String(150))
    deletion_reason_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deletion_reasons.id"))
    deletion_note: Mapped[str | None] = mapped_column(String(200))
    # The patient's own words when a patient cancelled (ONDOC, the website), OND-5.
    deletion_comment: Mapped[str | None] = mapped_column(String(500))
    # A website booking left primary for the receptionist: "ambiguous" (several cards match
    # exactly) or "partial" (a card shares only part of the data); cleared by linking (OND-4).
    card_match: Mapped[Literal["ambiguous", "partial"] | None] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]
    created_by_username: Mapped[str | None] = mapped_column(String(150))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[uuid.UUID | None]
    updated_by_username: Mapped[str | None] = mapped_column(String(150))

    services: Mapped[list[AppointmentServiceLine]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=AppointmentServiceLine.position
    )

    __table_args__ = (
        CheckConstraint("end_at > start_at", name="period"),
        # Covers the free-time search's per-doctor merge (index only, presorted); see its migration.
        Index("ix_appointments_doctor_id_start_at_end_at_deleted", "doctor_id", "start_at", "end_at", "deleted"),
    )

    @property
    def is_primary(self) -> bool:
        """A primary patient has no card yet (SCH-4, shown green)."""
        return self.patient_id is None


class AppointmentHistory(Base):
    """One entry of an appointment's change journal (SCH-10)."""

    __tablename__ = "appointment_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None]
    username: Mapped[str | None] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(30))
    # [{"field": …, "from": …, "to": …}]
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class StatusHistory(Base):
    """The patient's movement through the clinic: every status an appointment had (SCH-8)."""

    __tablename__ = "appointment_status_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    status_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointment_statuses.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None]
    username: Mapped[str | None] = mapped_column(String(150))
