"""Bodies of /cards/{id}/discount-cards."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime

DiscountNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[0-9A-Za-z-]+$")
]


class DiscountCardIssue(BaseModel):
    """Issue a card; without a number the next free one is assigned."""

    model_config = ConfigDict(extra="forbid")

    number: DiscountNumber | None = None
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]


class DiscountCardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    number: str
    percent: Decimal
    issued_at: ClinicDateTime
    issued_by: uuid.UUID | None
    issued_by_username: str | None
