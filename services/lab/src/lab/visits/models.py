"""Visits (LAB-9): the orders of one visit, and what was announced of their results."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class LabVisit(Base):
    """A patient's visit as the lab sees it (see `visits/rules.py` for which orders share one).

    The row is also the lock that serialises the completions of the visit's orders: whoever
    settles an order locks it before looking at the others, so two orders completing at once
    cannot both think the other is still running (and nobody announces).
    """

    __tablename__ = "lab_visits"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    charge_id: Mapped[uuid.UUID | None]
    # How many completed orders the last `lab_visit.results_ready` covered, and how many were sent.
    announced_completed: Mapped[int] = mapped_column(Integer, default=0)
    announcements: Mapped[int] = mapped_column(Integer, default=0)
    results_ready_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
