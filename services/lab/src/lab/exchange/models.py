"""The outbound queue to external labs (LAB-8): one row per order, surviving restarts.

The row carries both deliveries of an order: the order itself, then (if it is cancelled after
the lab acknowledged it) the cancellation.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class ExchangeItem(Base):
    """pending → sent (waiting for results) → completed; or failed after the last attempt."""

    __tablename__ = "exchange_queue"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_orders.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    polls: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None]
    # When the order was (last) queued for sending; send retries leave it, so the oldest
    # pending item's age says how long the lab has been waiting for it.
    queued_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Telling the lab about a cancellation, once it has acknowledged the order (the send came
    # first, so the two never cross): pending → delivered | refused, or failed after the last
    # attempt. Null: the lab needs no word (never reached it, or the order was not cancelled).
    cancel_state: Mapped[str | None] = mapped_column(String(20))
    cancel_attempts: Mapped[int | None] = mapped_column(Integer, default=0)
    cancel_next_attempt_at: Mapped[datetime | None]
    cancel_queued_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancel_last_error: Mapped[str | None] = mapped_column(Text)
    cancel_refusal: Mapped[str | None] = mapped_column(Text)  # the lab's reason for refusing
    cancel_done_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_exchange_queue_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_exchange_queue_state_next_poll_at", "state", "next_poll_at"),
        Index("ix_exchange_queue_cancel_state_next_attempt_at", "cancel_state", "cancel_next_attempt_at"),
    )
