"""Bodies of /contracts/{id}/prices (PRO-7)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from profexam.calculations.schemas import Price


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _plain(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must not contain control characters")
    return value


ServiceCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), AfterValidator(_plain)
]
ServiceName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_plain)
]
ServiceGroup = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_plain)] | None,
    BeforeValidator(_blank_to_none),
]


CENT = Decimal("0.01")
# The shared calculation price (≥ 0, two decimals at most), answered with both decimals ("1700.00").
ListPrice = Annotated[Price, AfterValidator(lambda value: value.quantize(CENT))]


class PriceCreate(BaseModel):
    """A service of the contract's price list; its code is listed once per contract (409 otherwise)."""

    model_config = ConfigDict(extra="forbid")

    code: ServiceCode = Field(description="the service's code, as calculation lines name it (case-insensitive)")
    name: ServiceName
    group: ServiceGroup = Field(default=None, description="group of services (группа услуг)")
    price: ListPrice = Field(description="roubles, at least 0, two decimals at most")


class PriceUpdate(BaseModel):
    """Only the fields sent change; null clears the group (code, name and price cannot be cleared)."""

    model_config = ConfigDict(extra="forbid")

    code: ServiceCode | None = None
    name: ServiceName | None = None
    group: ServiceGroup = None
    price: ListPrice | None = None


class PriceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contract_id: uuid.UUID
    code: str
    name: str
    group: str | None
    price: Decimal
    created_at: ClinicDateTime
    updated_at: ClinicDateTime
