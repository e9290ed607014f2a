"""Bodies of /outbound: the state of every item ONDOC must be told about."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from ondoc_bridge.ondoc.reasons import error_text

OutboundStatus = Literal["pending", "sent", "failed", "dropped"]
OutboundKind = Literal["appointment", "detach"]


class OutboundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: OutboundKind
    subject_id: uuid.UUID
    patient_id: uuid.UUID
    ondoc_patient_id: str
    version: int
    sent_version: int | None
    status: OutboundStatus
    attempts: int
    last_error: str | None = Field(description="why the last try failed: a stable text logs and scripts match on")
    next_attempt_at: ClinicDateTime | None
    sent_at: ClinicDateTime | None
    queued_at: ClinicDateTime  # when the state to send was queued; retries keep it
    updated_at: ClinicDateTime

    @computed_field(description="`last_error` in Russian, as staff read it")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def last_error_text(self) -> str | None:
        return error_text(self.last_error)


class OutboundSummary(BaseModel):
    """Queue depth at a glance: items per status and the oldest pending change."""

    pending: int
    sent: int
    failed: int
    dropped: int
    oldest_pending_at: ClinicDateTime | None
