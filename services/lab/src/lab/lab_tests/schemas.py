"""Bodies of /tests."""

from __future__ import annotations

import math
import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from lab.containers import container_name


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Limit = Annotated[float | None, AfterValidator(_finite)]
TestCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
TestName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Kind = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OptionalKind = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None
Units = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None


class LabTestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lab_id: uuid.UUID
    code: TestCode
    name: TestName
    container_type: Kind
    sample_type: OptionalKind = None
    study_type: OptionalKind = None
    units: Units = None
    reference_low: Limit = None
    reference_high: Limit = None
    critical_low: Limit = None
    critical_high: Limit = None
    active: bool = True


class LabTestUpdate(BaseModel):
    """Only the fields sent change; null clears an optional field. The lab cannot change."""

    model_config = ConfigDict(extra="forbid")

    code: TestCode | None = None
    name: TestName | None = None
    container_type: Kind | None = None
    sample_type: OptionalKind = None
    study_type: OptionalKind = None
    units: Units = None
    reference_low: Limit = None
    reference_high: Limit = None
    critical_low: Limit = None
    critical_high: Limit = None
    active: bool | None = None


class LabTestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    lab_id: uuid.UUID
    code: str
    name: str
    container_type: str
    sample_type: str | None
    study_type: str | None
    units: str | None
    reference_low: float | None
    reference_high: float | None
    critical_low: float | None
    critical_high: float | None
    active: bool
    created_at: ClinicDateTime
    updated_at: ClinicDateTime

    @computed_field(description="the tube's Russian name, as labels print it ('EDTA' → 'ЭДТА')")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def container_name(self) -> str:
        return container_name(self.container_type)


class StudyTypeRead(BaseModel):
    """A study type as the labs' catalogues bring it (the source system's "Типы лабораторных исследований")."""

    name: str
    tests: int
