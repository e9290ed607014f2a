"""How an order's delivery to its lab looks to a person."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

ExchangeState = Literal["pending", "sent", "failed", "completed", "cancelled"]


class ExchangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    state: ExchangeState
    attempts: int
    next_attempt_at: datetime | None
    queued_at: datetime | None  # when it was (last) queued for sending; retries keep it
    last_error: str | None
    external_id: str | None
    sent_at: datetime | None
    next_poll_at: datetime | None
    completed_at: datetime | None
