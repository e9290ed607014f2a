"""Bodies of the calculation endpoints (PRO-5)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from profexam.exams.schemas import EmployeeCreate, FactorCodes, OptionalText
from profexam.imports.schemas import RejectedRow, UnknownFactorCode

Price = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)]


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    department: OptionalText = None
    headcount: int = Field(ge=1, le=100_000)
    harmful_factor_codes: FactorCodes = Field(default_factory=list)
    price: Price | None = Field(
        default=None, description="price of one exam for this position (the contract's price of service_code wins)"
    )
    service_code: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None,
        BeforeValidator(lambda v: None if isinstance(v, str) and not v.strip() else v),
    ] = Field(default=None, description="the exam service of the contract's price list that prices this line (PRO-7)")


class CalculationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = "Калькуляция"
    positions: list[PositionIn] = Field(min_length=1, max_length=5_000)


class PositionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line: int
    position: str
    department: str | None
    headcount: int
    harmful_factor_codes: list[str]
    service_code: str | None
    price: Decimal | None
    price_source: Literal["contract", "line"] | None = Field(
        description="contract: the contract's price list; line: the price given with the line; null: no price"
    )
    line_total: Decimal


class CalculationRead(BaseModel):
    id: uuid.UUID
    exam_id: uuid.UUID
    name: str
    total_price: Decimal
    contract_id: uuid.UUID | None = Field(description="the contract whose price list applied (PRO-7), if any")
    created_at: ClinicDateTime
    positions: list[PositionRead]


class CalculationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    exam_id: uuid.UUID
    name: str
    total_price: Decimal
    contract_id: uuid.UUID | None
    created_at: ClinicDateTime


class CalculationImportReport(BaseModel):
    status: Literal["imported", "rejected", "dry_run"]
    total_rows: int
    rejected: list[RejectedRow]
    unknown_factor_codes: list[UnknownFactorCode]
    calculation: CalculationRead | None


class CalculationEmployee(EmployeeCreate):
    """An employee taken from a calculation: the position must be one of its lines."""

    position: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class CalculationEmployees(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employees: list[CalculationEmployee] = Field(min_length=1, max_length=500)


def line_total(price: Decimal | None, headcount: int) -> Decimal:
    """Price × headcount (no price → 0)."""
    return (price or Decimal("0")).quantize(Decimal("0.01")) * headcount


def position_read(position: Any) -> PositionRead:
    """A stored calculation line with its total."""
    return PositionRead(
        line=position.line,
        position=position.position,
        department=position.department,
        headcount=position.headcount,
        harmful_factor_codes=list(position.harmful_factor_codes or []),
        service_code=position.service_code,
        price=position.price,
        price_source=position.price_source,
        line_total=line_total(position.price, position.headcount),
    )
