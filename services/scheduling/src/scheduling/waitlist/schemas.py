"""Bodies of /waitlist and /appointments/{id}/to-waitlist (SCH-7)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.dates import ApiAwareDateTime, ApiDate
from scheduling.appointments.schemas import PatientIn, ServiceLineIn

Clock = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5)]
Text = Annotated[str, StringConstraints(max_length=4000)]
_FORBID = ConfigDict(extra="forbid")


class Wish(BaseModel):
    """When the patient would like to come; no date = any day (always listed)."""

    model_config = _FORBID
    wished_date: ApiDate | None = None
    wished_time_from: Clock | None = Field(default=None, description='"09:00"')
    wished_time_to: Clock | None = Field(default=None, description='"12:00"')
    note: Text | None = None


class WaitlistCreate(Wish):
    """A new entry: exactly one of `patient_id` (a card) and `patient` (typed in)."""

    patient_id: uuid.UUID | None = None
    patient: PatientIn | None = None
    doctor_id: uuid.UUID | None = None
    specialization_id: uuid.UUID | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    services: list[ServiceLineIn] = Field(default_factory=list, max_length=50)
    kind_id: uuid.UUID | None = None
    info_source_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None


class ToWaitlist(Wish):
    """Move an appointment to the waiting list, with the patient's wish."""


class WaitlistBook(BaseModel):
    """Book the entry into a free slot; the entry is then removed."""

    model_config = _FORBID
    start: ApiAwareDateTime
    doctor_id: uuid.UUID | None = Field(default=None, description="default: the entry's doctor")
    cabinet_id: uuid.UUID | None = None
    end: ApiAwareDateTime | None = None
    duration_minutes: int | None = None
    overbook: bool = False


class WaitlistServiceRead(BaseModel):
    service_id: uuid.UUID
    quantity: int
    price: Decimal


class WaitlistRead(BaseModel):
    id: uuid.UUID
    patient_id: uuid.UUID | None
    is_primary: bool
    last_name: str
    first_name: str
    middle_name: str | None
    patient_name: str
    mobile_phone: str | None
    phone_with_country_code: str | None
    whatsapp_url: str | None
    birth_date: date | None
    doctor_id: uuid.UUID | None
    specialization_id: uuid.UUID | None
    wished_date: date | None
    wished_time_from: str | None
    wished_time_to: str | None
    duration_minutes: int | None
    note: str | None
    services: list[WaitlistServiceRead]
    kind_id: uuid.UUID | None
    info_source_id: uuid.UUID | None
    record_type_id: uuid.UUID | None
    source_appointment_id: uuid.UUID | None
    created_at: ClinicDateTime
    created_by_username: str | None
