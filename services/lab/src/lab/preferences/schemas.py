"""Bodies of /settings and /workstations/{id}/printer."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class DefaultCase(BaseModel):
    """Values copied into every new order's service case; other keys are kept as sent."""

    model_config = ConfigDict(extra="allow")

    case_type: ShortText | None = None
    payment_type: ShortText | None = None
    department: ShortText | None = None


class LabSettingsUpdate(BaseModel):
    """PUT /settings: fields left out keep their current value."""

    model_config = ConfigDict(extra="ignore")

    use_new_laboratory: bool | None = None
    default_case: DefaultCase | None = None
    create_on_charge: bool | None = None
    create_on_charge_lab_ids: Annotated[list[uuid.UUID], Field(max_length=200)] | None = None
    send_automatically: bool | None = Field(default=None, description="queue every new order for the exchange")


class LabSettingsRead(BaseModel):
    use_new_laboratory: bool = Field(description="off → new orders are refused and charges are only recorded")
    default_case: DefaultCase
    create_on_charge: bool = Field(description="create an order when a linked service is charged")
    create_on_charge_lab_ids: list[uuid.UUID] = Field(description="the external labs orders from charges go to")
    send_automatically: bool
    updated_at: ClinicDateTime | None = None
    updated_by_username: str | None = None


WorkstationId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class PrinterSettings(BaseModel):
    """A workstation's default Zebra printer and label size."""

    model_config = ConfigDict(extra="forbid")

    printer_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    dpi: Literal[203, 300] = 203
    label_width_mm: float = Field(default=50.0, ge=20, le=120)
    label_height_mm: float = Field(default=30.0, ge=15, le=120)


class PrinterRead(PrinterSettings):
    workstation_id: str
    updated_at: ClinicDateTime | None = None
