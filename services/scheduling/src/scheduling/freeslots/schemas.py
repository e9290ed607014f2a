"""Query and answer of the free-time search (SCH-12)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.dates import ApiDate

MAX_DAYS = 62
DEFAULT_DAYS = 14
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class FreeSlotQuery(BaseModel):
    """Who (a doctor, a specialization or a service), where (a building), when and how long."""

    doctor_id: uuid.UUID | None = None
    specialization_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = Field(default=None, description="doctors linked to the service for online booking")
    building_id: uuid.UUID | None = None
    date_from: ApiDate | None = Field(default=None, description="first clinic date; default today")
    date_to: ApiDate | None = Field(
        default=None, description=f"last clinic date; default date_from + {DEFAULT_DAYS - 1}"
    )
    duration_minutes: int | None = Field(default=None, description="default: the grid step")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="the nearest this many slots")


class FreeSlotRead(BaseModel):
    doctor_id: uuid.UUID
    start: ClinicDateTime
    end: ClinicDateTime


class FreeSlotPage(BaseModel):
    """The nearest free slots (`limit` of them), and how many there are in the period."""

    items: list[FreeSlotRead]
    total: int
