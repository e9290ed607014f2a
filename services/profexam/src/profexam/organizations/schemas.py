"""Bodies of /organizations and their contracts (PRO-1)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from clinic_shared.clinic_time import ClinicDateTime


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Inn = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{10}(\d{2})?$")] | None,
    BeforeValidator(_blank_to_none),
]
Text = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None, BeforeValidator(_blank_to_none)
]


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    inn: Inn = Field(default=None, description="ИНН: 10 digits (a company) or 12 (a sole trader)")
    address: Text = None
    contact: Text = None


class OrganizationUpdate(BaseModel):
    """Only the fields sent change; null clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    inn: Inn = None
    address: Text = None
    contact: Text = None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    inn: str | None
    address: str | None
    contact: str | None
    created_at: ClinicDateTime
    updated_at: ClinicDateTime


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    valid_from: date
    valid_to: date

    @model_validator(mode="after")
    def _period(self) -> ContractCreate:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class ContractRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    number: str
    valid_from: date
    valid_to: date
    created_at: ClinicDateTime
