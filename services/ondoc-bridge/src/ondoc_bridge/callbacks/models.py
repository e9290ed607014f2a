"""Callbacks already answered, by ONDOC's callback id: a repeat gets the same answer and
changes nothing (OND-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base

PROCESSING = 0  # status_code while a delivery is being handled (its claim)


class CallbackRecord(Base):
    __tablename__ = "callbacks"

    callback_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    body_sha256: Mapped[str] = mapped_column(String(64))
    # When the delivery handling it arrived: a repeat that takes over a claim abandoned by a
    # dead delivery (callbacks/claims.py) sets it again.
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int] = mapped_column(Integer, default=PROCESSING)
    response: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
