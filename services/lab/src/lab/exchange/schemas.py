"""How an order's delivery to its lab looks to a person."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from lab.exchange.reasons import error_text

ExchangeState = Literal["pending", "sent", "failed", "completed", "cancelled"]
CancelState = Literal["pending", "delivered", "refused", "failed"]


class CancelDeliveryRead(BaseModel):
    """Telling the lab the order is cancelled: `refused` means the lab went on (samples analysed)."""

    state: CancelState
    attempts: int
    queued_at: ClinicDateTime | None
    next_attempt_at: ClinicDateTime | None
    last_error: str | None = Field(description="why the last try failed: a stable text logs and scripts match on")
    refusal_reason: str | None
    done_at: ClinicDateTime | None
    message: str

    @computed_field(description="`last_error` in Russian, as staff read it")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def last_error_text(self) -> str | None:
        return error_text(self.last_error)


class ExchangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    state: ExchangeState
    attempts: int
    next_attempt_at: ClinicDateTime | None
    queued_at: ClinicDateTime | None  # when it was (last) queued for sending; retries keep it
    last_error: str | None = Field(description="why the last try failed: a stable text logs and scripts match on")
    external_id: str | None
    sent_at: ClinicDateTime | None
    next_poll_at: ClinicDateTime | None
    completed_at: ClinicDateTime | None
    cancel: CancelDeliveryRead | None = None  # only once the lab must hear of a cancellation

    @computed_field(description="`last_error` in Russian, as staff read it")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def last_error_text(self) -> str | None:
        return error_text(self.last_error)
