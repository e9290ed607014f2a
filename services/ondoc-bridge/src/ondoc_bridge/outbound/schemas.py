"""Bodies of /outbound: the state of every item ONDOC must be told about."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

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
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    queued_at: datetime  # when the state to send was queued; retries keep it
    updated_at: datetime


class OutboundSummary(BaseModel):
    """Queue depth at a glance: items per status and the oldest pending change."""

    pending: int
    sent: int
    failed: int
    dropped: int
    oldest_pending_at: datetime | None
