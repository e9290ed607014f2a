"""Bodies of /harmful-factors and /organizations/{id}/factor-mappings (PRO-4)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from profexam.factors.codes import MAX_SOURCE_CODE_LENGTH

Section = Literal["chemical", "biological", "aerosols", "physical", "labour_process", "work_type"]


class HarmfulFactorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    parent_code: str | None
    title: str
    section: Section


class FactorMappingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SOURCE_CODE_LENGTH)
    ]
    factor_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class FactorMappingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    source_code: str
    factor_code: str
    created_at: ClinicDateTime
