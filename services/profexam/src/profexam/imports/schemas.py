"""Bodies of the import endpoints: the column mapping, the report and the job (PRO-3, PRO-5)."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal, TypeVar

from openpyxl.utils.cell import column_index_from_string
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, ValidationError, model_validator

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.errors import ValidationFailed
from profexam.imports.reader import SheetSpec

MAX_ROW = 1_048_576


def _column_letter(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError("must be a column letter such as A")
    letter = value.strip().upper()
    if not letter.isalpha() or not letter.isascii() or len(letter) > 3 or column_index_from_string(letter) > 16384:
        raise ValueError("must be a column letter from A to XFD")
    return letter


Column = Annotated[str | None, BeforeValidator(_column_letter)]
SheetRef = StrictInt | Annotated[str, Field(min_length=1, max_length=31)] | None


class SheetMapping(BaseModel):
    """Rows and sheet: shared by employee and calculation imports."""

    model_config = ConfigDict(extra="forbid")

    first_row: int = Field(default=2, ge=1, le=MAX_ROW, description="first data row (row 1 is usually the header)")
    last_row: int | None = Field(default=None, ge=1, le=MAX_ROW, description="last data row; empty → to the end")
    sheet: SheetRef = Field(
        default=None,
        description="sheet name (hidden sheets too) or 1-based position among visible sheets; empty → first visible",
    )

    @model_validator(mode="after")
    def _rows_in_order(self) -> SheetMapping:
        if self.last_row is not None and self.last_row < self.first_row:
            raise ValueError("last_row must not be before first_row")
        return self

    def letters(self) -> dict[str, str]:
        """Mapped field → column letter."""
        skip = set(SheetMapping.model_fields) | {"calculation_id", "name"}
        return {k: v for k, v in self.model_dump().items() if k not in skip and v}

    def sheet_spec(self) -> SheetSpec:
        columns = {name: column_index_from_string(letter) for name, letter in self.letters().items()}
        return SheetSpec(columns=columns, first_row=self.first_row, last_row=self.last_row, sheet=self.sheet)


M = TypeVar("M", bound=SheetMapping)


class EmployeeMapping(SheetMapping):
    """Which column holds what (PRO-3). Omitted → the layout of the import template (A … K)."""

    last_name: Column = "A"
    first_name: Column = "B"
    middle_name: Column = "C"
    birth_date: Column = "D"
    sex: Column = "E"
    phone: Column = "F"
    position: Column = "G"
    department: Column = "H"
    harmful_factors: Column = "I"
    exam_type: Column = "J"
    working_conditions: Column = "K"
    calculation_id: uuid.UUID | None = Field(
        default=None, description="fill each row's harmful factors from this calculation's position (PRO-5)"
    )

    @model_validator(mode="after")
    def _required_columns(self) -> EmployeeMapping:
        missing = [name for name in ("last_name", "first_name", "birth_date") if not getattr(self, name)]
        if missing:
            raise ValueError(f"columns are required for: {', '.join(missing)}")
        return self


class CalculationMapping(SheetMapping):
    """Columns of a calculation sheet (PRO-5). Omitted → A position, B department, C headcount, D factors, E price;
    the service code (PRO-7) is read only when mapped."""

    name: str = Field(default="Калькуляция", min_length=1, max_length=300)
    position: Column = "A"
    department: Column = "B"
    headcount: Column = "C"
    harmful_factors: Column = "D"
    price: Column = "E"
    service_code: Column = Field(
        default=None, description="the exam service of the contract's price list that prices the line (PRO-7)"
    )

    @model_validator(mode="after")
    def _required_columns(self) -> CalculationMapping:
        missing = [name for name in ("position", "headcount") if not getattr(self, name)]
        if missing:
            raise ValueError(f"columns are required for: {', '.join(missing)}")
        return self


def parse_mapping(text: str | None, model: type[M]) -> M:
    """The `mapping` form field (JSON) → the model; 422 naming `mapping.<field>` when bad."""
    if text is None or not text.strip():
        return model()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed.field("mapping", "is not valid JSON") from exc
    if not isinstance(raw, dict):
        raise ValidationFailed.field("mapping", "must be a JSON object")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        # Every mapping field is top level; deeper parts of a location only name union branches.
        errors = [
            {"field": ".".join(["mapping", *(str(p) for p in e["loc"][:1])]), "message": str(e["msg"])}
            for e in exc.errors()
        ]
        errors = [dict(t) for t in dict.fromkeys(tuple(e.items()) for e in errors)]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        raise ValidationFailed(f"Invalid mapping: {fields}", errors=errors) from exc


class RejectedRow(BaseModel):
    row: int
    column: str | None
    value: str | None
    reason: str


class UnknownFactorCode(BaseModel):
    code: str
    rows: list[int]


class ImportReport(BaseModel):
    """The outcome of an employee import."""

    status: Literal["imported", "rejected", "dry_run"]
    total_rows: int
    imported: int
    already_in_exam: int
    cards_created: int
    cards_matched: int
    rejected: list[RejectedRow]
    unknown_factor_codes: list[UnknownFactorCode]


class ImportRunRead(BaseModel):
    """An import run: its progress while it runs as a job, and its report when done."""

    id: uuid.UUID
    exam_id: uuid.UUID
    kind: Literal["employees", "calculation"]
    status: Literal["queued", "running", "done", "failed"]
    stage: str | None
    processed: int
    total: int
    file_name: str | None
    report: dict[str, Any] | None
    error: dict[str, Any] | None
    created_at: ClinicDateTime
    finished_at: ClinicDateTime | None
