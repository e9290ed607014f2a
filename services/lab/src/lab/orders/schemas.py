"""Bodies of /orders."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from lab.containers import container_name
from lab.exchange.schemas import ExchangeRead
from lab.results.schemas import ResultRead

StatusName = Literal["created", "sent", "in_progress", "completed", "cancelled"]


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    lab_id: uuid.UUID
    test_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)]
    appointment_id: uuid.UUID | None = None
    note: Annotated[str, StringConstraints(max_length=4000)] | None = None
    workstation_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: StatusName
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None


class SampleBarcodeChange(BaseModel):
    """A pre-printed tube's barcode replaces the generated one."""

    model_config = ConfigDict(extra="forbid")

    barcode: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{6,20}$")]


class OrderPatient(BaseModel):
    id: uuid.UUID
    card_number: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date | None
    sex: str | None
    short_name: str = Field(description="'Иванов И. И.', as printed on labels")


class SampleRead(BaseModel):
    id: uuid.UUID
    barcode: str
    container_type: str = Field(description="the tube as the lab's catalogue calls it (sent to the lab)")
    sample_type: str | None
    test_ids: list[uuid.UUID]

    @computed_field(description="the tube's Russian name, as its label prints it ('EDTA' → 'ЭДТА')")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def container_name(self) -> str:
        return container_name(self.container_type)


class OrderTestRead(BaseModel):
    test_id: uuid.UUID
    code: str
    name: str
    sample_id: uuid.UUID
    units: str | None
    reference_low: float | None
    reference_high: float | None
    critical_low: float | None
    critical_high: float | None
    result: ResultRead | None


class OrderSummary(BaseModel):
    id: uuid.UUID
    number: str
    status: StatusName
    patient_id: uuid.UUID
    patient_short_name: str
    lab_id: uuid.UUID
    appointment_id: uuid.UUID | None
    charge_id: uuid.UUID | None
    visit_id: uuid.UUID | None = Field(description="the visit whose results are announced together (GET /visits/{id})")
    created_at: ClinicDateTime
    created_by_username: str
    status_changed_at: ClinicDateTime
    version: int


class OrderRead(OrderSummary):
    patient: OrderPatient
    note: str | None
    workstation_id: str | None
    case: dict[str, Any] = Field(description="the service case defaults copied from the settings")
    updated_at: ClinicDateTime
    samples: list[SampleRead]
    tests: list[OrderTestRead]
    results: list[ResultRead]
    exchange: ExchangeRead | None = Field(description="the order's delivery to the lab, once queued")
