"""Appointments ONDOC booked: our id ↔ ONDOC's id, so updates and cancellations find each other."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base


class OndocBooking(Base):
    __tablename__ = "ondoc_bookings"

    appointment_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    ondoc_appointment_id: Mapped[str] = mapped_column(String(100), unique=True)
    ondoc_patient_id: Mapped[str] = mapped_column(String(100))
    patient_id: Mapped[uuid.UUID]
    callback_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
