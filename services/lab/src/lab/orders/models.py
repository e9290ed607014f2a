"""Lab orders (LAB-4): the order, its samples (one per container, each with a barcode) and tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class LabOrder(Base):
    __tablename__ = "lab_orders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    lab_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("labs.id"), index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    charge_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The visit (LAB-9, visits/rules.py). No foreign key, so SQLite adds the column in place.
    visit_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(Text)
    workstation_id: Mapped[str | None] = mapped_column(String(100))
    case: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The patient as the order was made: an order is a document sent to the lab.
    patient_card_number: Mapped[str] = mapped_column(String(20))
    patient_last_name: Mapped[str] = mapped_column(String(100))
    patient_first_name: Mapped[str] = mapped_column(String(100))
    patient_middle_name: Mapped[str | None] = mapped_column(String(100))
    patient_birth_date: Mapped[date | None] = mapped_column(Date)
    patient_sex: Mapped[str | None] = mapped_column(String(6))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by: Mapped[uuid.UUID | None]
    created_by_username: Mapped[str] = mapped_column(String(150))
    # Every change sets it (GET /orders?updated_since= reads it).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderSample(Base):
    """One container of the order; its barcode is unique across all orders."""

    __tablename__ = "order_samples"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    barcode: Mapped[str] = mapped_column(String(32), unique=True)
    container_type: Mapped[str] = mapped_column(String(100))
    sample_type: Mapped[str | None] = mapped_column(String(100))


class OrderTest(Base):
    """A test of the order, copied from the directory as it was when ordered."""

    __tablename__ = "order_tests"
    __test__ = False  # not a pytest class, despite the name

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_orders.id"))
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_tests.id"), index=True)
    sample_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_samples.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(300))
    units: Mapped[str | None] = mapped_column(String(50))
    reference_low: Mapped[float | None] = mapped_column(Float)
    reference_high: Mapped[float | None] = mapped_column(Float)
    critical_low: Mapped[float | None] = mapped_column(Float)
    critical_high: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("order_id", "test_id"), Index("ix_order_tests_order_id", "order_id"))
