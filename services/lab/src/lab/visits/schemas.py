"""Bodies of /visits (LAB-9)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from clinic_shared.clinic_time import ClinicDateTime


class VisitOrderRead(BaseModel):
    id: uuid.UUID
    number: str
    lab_id: uuid.UUID
    status: Literal["created", "sent", "in_progress", "completed", "cancelled"]


class VisitRead(BaseModel):
    id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None = Field(description="the appointment the orders were made for, if any")
    charge_id: uuid.UUID | None = Field(description="the charge the orders came from, when without an appointment")
    orders: list[VisitOrderRead] = Field(description="the visit's orders the caller may see, by number")
    results_ready: bool = Field(description="every order is done and `lab_visit.results_ready` was published")
    announcements: int = Field(description="how many times it was published (more than 1: orders added later)")
    results_ready_at: ClinicDateTime | None
    version: int
