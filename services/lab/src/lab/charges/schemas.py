"""Bodies of /charges: a charged service, as `billing.service_charged` carries it."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clinic_shared.clinic_time import ClinicDateTime

ChargeOutcome = Literal["orders_created", "no_linked_tests", "off", "lab_switched_off"]


class ChargeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(description="the charge's id: posting it again creates nothing new")
    patient_id: uuid.UUID
    service_id: uuid.UUID
    quantity: int = Field(default=1, ge=1, le=1000)
    appointment_id: uuid.UUID | None = None
    charged_at: AwareDatetime | None = Field(default=None, description="defaults to now")


class ChargeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    service_id: uuid.UUID
    quantity: int
    appointment_id: uuid.UUID | None
    charged_at: ClinicDateTime
    received_at: ClinicDateTime
    source: Literal["api", "event"]
    outcome: ChargeOutcome = Field(
        description="orders_created; no_linked_tests (nothing for the chosen labs); "
        "off (create_on_charge is off); lab_switched_off (use_new_laboratory is off)"
    )
    order_ids: list[uuid.UUID]
