"""How an order's delivery to its lab looks to a person."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

ExchangeState = Literal["pending", "sent", "failed", "completed", "cancelled"]
CancelState = Literal["pending", "delivered", "refused", "failed"]


class CancelDeliveryRead(BaseModel):
    """Telling the lab the order is cancelled: `refused` means the lab went on (samples analysed)."""

    state: CancelState
    attempts: int
    queued_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    refusal_reason: str | None
    done_at: datetime | None
    message: str


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
    cancel: CancelDeliveryRead | None = None  # only once the lab must hear of a cancellation
