"""Bodies of /orders/{id}/results and corrections."""

from __future__ import annotations

import math
import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from lab.results.rules import Flag


def _number_to_text(value: Any) -> Any:
    """Analysers send numbers; we keep every value as text (e.g. 'negative' is a value too)."""
    if isinstance(value, bool):
        raise ValueError("must be a number or text")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return repr(value) if isinstance(value, float) else str(value)
    return value


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


ResultValue = Annotated[
    str, BeforeValidator(_number_to_text), StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]
Limit = Annotated[float | None, AfterValidator(_finite)]


class ResultEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_id: uuid.UUID
    value: ResultValue
    units: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    reference_low: Limit = None
    reference_high: Limit = None
    flag: Flag | None = Field(default=None, description="computed from the range and critical limits when left out")
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ResultsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    results: Annotated[list[ResultEntry], Field(min_length=1, max_length=500)]


class CorrectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: ResultValue
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    units: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    flag: Flag | None = None
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ResultRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    test_id: uuid.UUID
    value: str
    units: str | None
    reference_low: float | None
    reference_high: float | None
    flag: Flag | None
    comment: str | None
    source: str = Field(description="manual or exchange")
    corrected: bool
    recorded_at: ClinicDateTime
    recorded_by_username: str
