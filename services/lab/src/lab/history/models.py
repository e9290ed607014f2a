"""The journal of each order: creation, status changes, results, corrections, exchange."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class OrderHistoryEntry(Base):
    __tablename__ = "order_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_orders.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[uuid.UUID | None]
    username: Mapped[str] = mapped_column(String(150))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_order_history_order_id_at", "order_id", "at"),)
