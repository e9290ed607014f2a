"""Bodies of /links and of a manual detach."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime


class LinkRead(BaseModel):
    """One row of the linked-patients list; `mis_id` is the card number, "-" once detached."""

    id: uuid.UUID
    patient_id: uuid.UUID
    mis_id: str
    card_number: str | None
    ondoc_patient_id: str
    status: Literal["attached", "detached"]
    attached_at: ClinicDateTime
    detached_at: ClinicDateTime | None
    detached_by: str | None
    detach_reason: str | None


class DetachRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = Field(
        default=None, description="shown to the patient in ONDOC"
    )
