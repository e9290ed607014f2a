"""Bodies of /messages."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from notifier.messages.reasons import error_text


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
    error: str | None = Field(description="why it was not sent: a stable code or the provider's words (logs use it)")
    attempts: int
    due_at: ClinicDateTime
    next_attempt_at: ClinicDateTime
    sent_at: ClinicDateTime | None
    created_at: ClinicDateTime
    updated_at: ClinicDateTime

    @computed_field(description="`error` in Russian, as staff read it")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def error_text(self) -> str | None:
        return error_text(self.error)
