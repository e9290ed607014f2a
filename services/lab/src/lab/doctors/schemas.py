"""Bodies of /lab-doctors."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime


class LabDoctorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lab_id: uuid.UUID | None = Field(default=None, description="the lab whose orders the doctor sees; null = all")
    has_access: bool = Field(default=True, description="'has access to the laboratory'")
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class LabDoctorRead(LabDoctorSettings):
    model_config = ConfigDict(from_attributes=True)

    user_id: uuid.UUID
    updated_at: ClinicDateTime
