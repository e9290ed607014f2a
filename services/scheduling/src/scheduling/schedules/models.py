"""A work schedule: one per doctor (or cabinet) per local date (SCH-2).

Intervals and breaks are kept as wall-clock times ("09:00") of the clinic's time zone: that
is what the administrator typed and what the calendar shows. They become UTC instants only
when a rule needs them (see `schedules.rules`), so a DST change is applied on the right date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base


class WorkSchedule(Base):
    __tablename__ = "work_schedules"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    doctor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("doctors.id"))
    cabinet_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cabinets.id"))
    work_date: Mapped[date] = mapped_column(Date, index=True)
    # [{"start": "09:00", "end": "18:00"}, …] sorted by start.
    intervals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    breaks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    day_type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("day_types.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_username: Mapped[str | None] = mapped_column(String(150))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))

    __table_args__ = (
        # NULLs are distinct in a unique constraint: a cabinet's rows never clash with a doctor's.
        UniqueConstraint("doctor_id", "work_date"),
        UniqueConstraint("cabinet_id", "work_date"),
        CheckConstraint("(doctor_id IS NULL) <> (cabinet_id IS NULL)", name="one_owner"),
    )
