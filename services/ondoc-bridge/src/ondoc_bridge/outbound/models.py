"""One row per thing ONDOC must learn: an appointment's latest state, or a detach.

An appointment row holds only the newest state (`version`) and what ONDOC has confirmed
(`sent_version`); a state is never replaced by an older one, and only one worker holds a row
at a time (`claimed_until`), so ONDOC never sees an appointment's states out of order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base

APPOINTMENT = "appointment"
DETACH = "detach"

PENDING = "pending"
SENT = "sent"
FAILED = "failed"  # ONDOC refused it for good (4xx); re-queued by hand or when the settings change
DROPPED = "dropped"  # no longer to be sent (the patient was detached before it went out)
STATUSES = (PENDING, SENT, FAILED, DROPPED)


class OutboundItem(Base):
    __tablename__ = "outbound_items"

    # The appointment id for appointments, the link id for detaches.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID]
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    ondoc_patient_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    sent_version: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime | None]
    # When the pending state was queued (a new state, a re-queue); retries leave it, so the
    # oldest pending item's age says how long ONDOC has been behind.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outbound_items_status_next_attempt_at", "status", "next_attempt_at"),)
