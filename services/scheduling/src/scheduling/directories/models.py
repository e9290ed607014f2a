"""Directory tables (SCH-1). Every item has `active`: an item in use cannot be deleted, only
deactivated, so old appointments keep pointing at it while new ones cannot choose it."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_shared.db import utcnow
from scheduling.models import Base
from scheduling.names import full_name

NAME_LENGTH = 200


class DirectoryColumns:
    """Columns every directory item has."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NamedColumns(DirectoryColumns):
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))


class Building(NamedColumns, Base):
    __tablename__ = "buildings"

    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))


class Department(NamedColumns, Base):
    __tablename__ = "departments"


class Cabinet(NamedColumns, Base):
    __tablename__ = "cabinets"

    building_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"), index=True)


class Specialization(NamedColumns, Base):
    __tablename__ = "specializations"


doctor_specializations = Table(
    "doctor_specializations",
    Base.metadata,
    Column("doctor_id", ForeignKey("doctors.id", ondelete="CASCADE"), primary_key=True),
    Column("specialization_id", ForeignKey("specializations.id"), primary_key=True, index=True),
)


class Doctor(DirectoryColumns, Base):
    __tablename__ = "doctors"

    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    building_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    academic_degree: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    online_booking: Mapped[bool] = mapped_column(Boolean, default=False)
    # selectin: async sessions cannot lazy-load, and every read of a doctor needs these.
    specializations: Mapped[list[Specialization]] = relationship(
        secondary=doctor_specializations, lazy="selectin", order_by="Specialization.name"
    )

    @property
    def name(self) -> str:
        """The full name: last, first, middle."""
        return full_name(self.last_name, self.first_name, self.middle_name)

    @property
    def specialization_ids(self) -> list[uuid.UUID]:
        """Ids of the doctor's specializations, by name."""
        return [s.id for s in self.specializations]


class PriceService(NamedColumns, Base):
    """A service of the price list (услуга)."""

    __tablename__ = "services"

    code: Mapped[str] = mapped_column(String(50), unique=True)
    group: Mapped[str | None] = mapped_column("service_group", String(200), index=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)


class AppointmentKind(NamedColumns, Base):
    __tablename__ = "appointment_kinds"


class InfoSource(NamedColumns, Base):
    __tablename__ = "info_sources"


class RecordType(NamedColumns, Base):
    """How the patient was booked. System types (phone, online, ondoc, walk_in) are seeded and
    cannot be deleted or recoded: online booking and ONDOC look them up by code."""

    __tablename__ = "record_types"

    code: Mapped[str] = mapped_column(String(50), unique=True)
    system: Mapped[bool] = mapped_column(Boolean, default=False)


class CommunicationStatus(NamedColumns, Base):
    __tablename__ = "communication_statuses"


class AppointmentStatus(NamedColumns, Base):
    __tablename__ = "appointment_statuses"

    colour: Mapped[str] = mapped_column(String(7), default="#FFFFFF")
    # Changing an appointment to such a status marks it processed (SCH-8).
    sets_processed: Mapped[bool] = mapped_column(Boolean, default=False)


class DeletionReason(NamedColumns, Base):
    """A reason an appointment was deleted (SCH-6). Reserved reasons (`reserved`, with a `code`)
    are created by a migration and record who cancelled when a patient did (OND-5): they
    cannot be deleted, renamed or deactivated."""

    __tablename__ = "deletion_reasons"

    code: Mapped[str | None] = mapped_column(String(50), unique=True)
    reserved: Mapped[bool] = mapped_column(Boolean, default=False)


class DayType(NamedColumns, Base):
    __tablename__ = "day_types"

    colour: Mapped[str] = mapped_column(String(7), default="#FFFFFF")
