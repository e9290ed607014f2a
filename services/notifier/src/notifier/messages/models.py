"""The message log (NOT-5): one row per (schedule, target, occasion), enforced by a unique key.

`schedule_key` is the schedule's id, or the built-in kind for messages without a schedule
(ONDOC codes), so the key never holds a NULL (NULLs never collide in a unique constraint).
`target_id` is the appointment for appointment messages, the patient otherwise; the occasion
says which reminder it is (the appointment's start, the birthday's year, the card, …).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from notifier.models import Base

# `unknown`: the provider may have accepted the message but never said so (an answer lost after
# the request went out, a dispatcher that died mid-send); it is not resent by itself.
MessageStatus = Literal["queued", "sending", "sent", "failed", "unknown", "cancelled", "dropped"]
MESSAGE_STATUSES: tuple[str, ...] = ("queued", "sending", "sent", "failed", "unknown", "cancelled", "dropped")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("schedule_key", "target_id", "occasion_key"),
        Index("ix_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    schedule_key: Mapped[str] = mapped_column(String(64))
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[uuid.UUID]
    occasion_key: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    context: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    due_at: Mapped[datetime] = mapped_column(index=True)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    recipient: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    parts: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
