"""Bodies of /messages."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict

from clinic_shared.clinic_time import ClinicDateTime


class MessageRead(BaseModel):
    """One message of the log; `recipient` is in clear for staff holding notifier.read."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    schedule_id: uuid.UUID | None
    kind: str
    channel: str
    status: str
    recipient: str | None
    patient_id: uuid.UUID | None
    appointment_id: uuid.UUID | None
    subject: str | None
    text: str | None
    provider: str | None
    provider_message_id: str | None
    parts: int | None
    error: str | None
    attempts: int
    due_at: ClinicDateTime
    next_attempt_at: ClinicDateTime
    sent_at: ClinicDateTime | None
    created_at: ClinicDateTime
    updated_at: ClinicDateTime
