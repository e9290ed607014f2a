"""Bodies of /exams and /exams/{id}/employees (PRO-1, PRO-2)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.phones import MAX_PHONE_LENGTH


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
OptionalText = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None, BeforeValidator(_blank_to_none)
]
NamePart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OptionalNamePart = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None, BeforeValidator(_blank_to_none)
]
ExamType = Literal[-1, 0, 1]
WorkingConditions = Annotated[
    Literal["1", "2", "3.1", "3.2", "3.3", "3.4", "4"] | None, BeforeValidator(_blank_to_none)
]
FactorCodes = Annotated[list[Annotated[str, StringConstraints(max_length=100)]], Field(max_length=100)]


class ExamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: uuid.UUID
    contract_id: uuid.UUID | None = None
    name: Title
    period_from: date
    period_to: date
    kind: OptionalText = Field(default=None, description="free text, e.g. 'periodic 2026'")

    @model_validator(mode="after")
    def _period(self) -> ExamCreate:
        if self.period_to < self.period_from:
            raise ValueError("period_to must not be before period_from")
        return self


class ExamUpdate(BaseModel):
    """Only the fields sent change; the resulting period must be in order."""

    model_config = ConfigDict(extra="forbid")

    contract_id: uuid.UUID | None = None
    name: Title | None = None
    period_from: date | None = None
    period_to: date | None = None
    kind: OptionalText = None


class ExamRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    contract_id: uuid.UUID | None
    name: str
    period_from: date
    period_to: date
    kind: str | None
    created_at: ClinicDateTime
    updated_at: ClinicDateTime


class NewPatient(BaseModel):
    """A card to create in patients (or match, when one with these names and birth date exists)."""

    model_config = ConfigDict(extra="forbid")

    last_name: NamePart
    first_name: NamePart
    middle_name: OptionalNamePart = None
    birth_date: date
    sex: Annotated[Literal["male", "female"] | None, BeforeValidator(_blank_to_none)] = None
    mobile_phone: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_PHONE_LENGTH)] | None,
        BeforeValidator(_blank_to_none),
    ] = Field(default=None, description="any format; stored normalised as patients stores a card's phone")


class EmployeeFields(BaseModel):
    """What the exam needs to know about an employee besides the card."""

    model_config = ConfigDict(extra="forbid")

    position: OptionalText = None
    department: OptionalText = None
    exam_type: ExamType = Field(default=1, description="-1 not chosen, 0 preliminary, 1 periodic")
    working_conditions: WorkingConditions = Field(default=None, description="class 1, 2, 3.1–3.4 or 4")
    harmful_factor_codes: FactorCodes = Field(default_factory=list, description="dictionary codes, e.g. '4.2.5'")


class EmployeeCreate(EmployeeFields):
    """By hand (`patient`: a card is created) or from an existing card (`patient_id`)."""

    patient_id: uuid.UUID | None = None
    patient: NewPatient | None = None

    @model_validator(mode="after")
    def _one_source(self) -> EmployeeCreate:
        if (self.patient_id is None) == (self.patient is None):
            raise ValueError("give either patient_id (an existing card) or patient (a new card)")
        return self


class EmployeeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    exam_id: uuid.UUID
    patient_id: uuid.UUID
    card_number: str | None = Field(description="the card's number in patients; null until profexam learns it")
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date | None
    sex: str | None
    phone: str | None
    position: str | None
    department: str | None
    exam_type: int
    working_conditions: str | None
    harmful_factor_codes: list[str]
    source: str
    calculation_id: uuid.UUID | None
    created_at: ClinicDateTime
