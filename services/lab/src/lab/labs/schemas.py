"""Bodies of /labs."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime

LabName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LabCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class LabCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LabName
    code: LabCode
    exchange_url: AnyHttpUrl | None = None
    active: bool = True


class LabUpdate(BaseModel):
    """Only the fields sent change; `exchange_url: null` clears it."""

    model_config = ConfigDict(extra="forbid")

    name: LabName | None = None
    code: LabCode | None = None
    exchange_url: AnyHttpUrl | None = None
    active: bool | None = None


class LabRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    code: str
    exchange_url: str | None
    active: bool
    created_at: ClinicDateTime
    updated_at: ClinicDateTime
