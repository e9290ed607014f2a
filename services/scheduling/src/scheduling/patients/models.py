"""Local copy of patient cards (a read model kept by `patient.*` events).

Scheduling never reads the patients service's tables: names, phone, birth date, VIP and
minor flags arrive with every card event and are applied only when newer (`version`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base


class PatientProjection(Base):
    __tablename__ = "patients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    card_number: Mapped[str] = mapped_column(String(32), index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    # Indexed for matching website bookings to cards (OND-4): phone or birth date first.
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    mobile_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
