"""How an order's delivery to its lab looks to a person."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from clinic_shared.clinic_time import ClinicDateTime

ExchangeState = Literal["pending", "sent", "failed", "completed", "cancelled"]
CancelState = Literal["pending", "delivered", "refused", "failed"]


class CancelDeliveryRead(BaseModel):
    """Telling the lab the order is cancelled: `refused` means the lab went on (samples analysed)."""

    state: CancelState
    attempts: int
    queued_at: ClinicDateTime | None
    next_attempt_at: ClinicDateTime | None
    last_error: str | None
    refusal_reason: str | None
    done_at: ClinicDateTime | None
    message: str


class ExchangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    state: ExchangeState
    attempts: int
    next_attempt_at: ClinicDateTime | None
    queued_at: ClinicDateTime | None  # when it was (last) queued for sending; retries keep it
    last_error: str | None
    external_id: str | None
    sent_at: ClinicDateTime | None
    next_poll_at: ClinicDateTime | None
    completed_at: ClinicDateTime | None
    cancel: CancelDeliveryRead | None = None  # only once the lab must hear of a cancellation
