"""Request and response bodies of /appointments (SCH-4 … SCH-11, SCH-15, SCH-17)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.dates import ApiAwareDateTime, ApiDate
from clinic_shared.text import typed_name

# A patient's name as typed: one typed all in lower case is stored with capitals per word
# ("петрова-водкина" → "Петрова-Водкина"), mixed case as typed ("де Сото"); clinic_shared.text.
Name = Annotated[
    str, BeforeValidator(typed_name), StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
Text = Annotated[str, StringConstraints(max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
_FORBID = ConfigDict(extra="forbid")


class PatientIn(BaseModel):
    """A primary patient typed in by hand (no card yet)."""

    model_config = _FORBID
    last_name: Name
    first_name: Name
    middle_name: Name | None = None
    mobile_phone: Phone | None = None
    birth_date: ApiDate | None = None


class ServiceLineIn(BaseModel):
    model_config = _FORBID
    service_id: uuid.UUID
    quantity: int = Field(default=1, ge=1, le=100)
    price: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2, description="default: list price"
    )


class AppointmentCreate(BaseModel):
    """A booking: exactly one of `patient_id` (a card) and `patient` (typed in, primary)."""

    model_config = _FORBID
    doctor_id: uuid.UUID
    cabinet_id: uuid.UUID | None = None
    start: ApiAwareDateTime
    end: ApiAwareDateTime | None = None
    duration_minutes: int | None = Field(default=None, description="instead of end; default: the grid step")
    patient_id: uuid.UUID | None = None
    patient: PatientIn | None = None
    services: list[ServiceLineIn] = Field(default_factory=list, max_length=50)
    note: Text | None = None
    overbook: bool = Field(
        default=False, description="book over another appointment on purpose (right scheduling.overbook)"
    )
    assistant: ShortText | None = None
    agent: ShortText | None = None
    kind_id: uuid.UUID | None = None
    info_source_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None
    communication_status_id: uuid.UUID | None = None
    status_id: uuid.UUID | None = None


class AppointmentUpdate(BaseModel):
    """Move, resize or edit: only the fields sent change; the slot is checked again when moved."""

    model_config = _FORBID
    doctor_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    start: ApiAwareDateTime | None = None
    end: ApiAwareDateTime | None = None
    duration_minutes: int | None = None
    patient: PatientIn | None = Field(default=None, description="only for a primary patient")
    services: list[ServiceLineIn] | None = Field(default=None, max_length=50)
    note: Text | None = None
    overbook: bool | None = None
    assistant: ShortText | None = None
    agent: ShortText | None = None
    kind_id: uuid.UUID | None = None
    info_source_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None
    communication_status_id: uuid.UUID | None = None
    status_id: uuid.UUID | None = None
    processed: bool | None = Field(default=None, description="refused: set only by a status (SCH-8)")
    version: int | None = Field(
        default=None, ge=1, description="the version you edited (as If-Match); another one → 412"
    )


class CopyRequest(BaseModel):
    """The same patient to another time and/or doctor (SCH-5)."""

    model_config = _FORBID
    start: ApiAwareDateTime
    doctor_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    end: ApiAwareDateTime | None = None
    duration_minutes: int | None = None
    overbook: bool = False


class RestoreRequest(BaseModel):
    """Back from the trash: to the original slot, or to another time and/or doctor (SCH-6)."""

    model_config = _FORBID
    start: ApiAwareDateTime | None = None
    doctor_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    end: ApiAwareDateTime | None = None
    duration_minutes: int | None = None
    overbook: bool = False


class StatusChange(BaseModel):
    model_config = _FORBID
    status_id: uuid.UUID


class LinkCard(BaseModel):
    """Link a primary appointment to an existing card, or create the card from it (SCH-15)."""

    model_config = _FORBID
    patient_id: uuid.UUID | None = None
    create: bool = False


class Marks(BaseModel):
    """SCH-9: primary (no card), minor, VIP, processed."""

    primary: bool
    minor: bool
    vip: bool
    processed: bool


class StatusRef(BaseModel):
    id: uuid.UUID
    name: str
    colour: str


class ServiceLineRead(BaseModel):
    service_id: uuid.UUID
    code: str | None
    name: str | None
    quantity: int
    price: Decimal


class AppointmentRead(BaseModel):
    id: uuid.UUID
    number: str
    version: int
    doctor_id: uuid.UUID
    doctor_name: str | None
    cabinet_id: uuid.UUID | None
    cabinet_name: str | None
    building_id: uuid.UUID | None
    start: ClinicDateTime
    end: ClinicDateTime
    duration_minutes: int
    patient_id: uuid.UUID | None
    card_number: str | None
    last_name: str
    first_name: str
    middle_name: str | None
    patient_name: str
    mobile_phone: str | None
    phone_with_country_code: str | None = Field(description='"+79229999999", ready to copy (SCH-17)')
    whatsapp_url: str | None = Field(description='"https://wa.me/79229999999" (SCH-17)')
    birth_date: date | None
    is_primary: bool
    marks: Marks
    status: StatusRef | None
    status_id: uuid.UUID | None
    status_changed_at: ClinicDateTime | None
    record_type_id: uuid.UUID | None
    record_type_code: str | None
    kind_id: uuid.UUID | None
    info_source_id: uuid.UUID | None
    communication_status_id: uuid.UUID | None
    assistant: str | None
    agent: str | None
    note: str | None
    services: list[ServiceLineRead]
    overbooked: bool
    processed: bool
    processed_at: ClinicDateTime | None
    deleted: bool
    deleted_at: ClinicDateTime | None
    deleted_by_username: str | None
    deletion_reason_id: uuid.UUID | None
    deletion_reason: str | None
    # The patient's own words when a patient cancelled (ONDOC, the website), OND-5.
    deletion_comment: str | None = None
    # OND-4: a website booking no single card matched for certain, for the receptionist to link.
    needs_card_review: bool = Field(
        default=False, description="a website booking left primary: some card matches it only partly or not alone"
    )
    card_match: Literal["ambiguous", "partial"] | None = Field(
        default=None,
        description=(
            '"ambiguous": several cards have the name, birth date and phone typed in; "partial": a card'
            " shares only some of them; null once a card is linked"
        ),
    )
    created_at: ClinicDateTime
    created_by_username: str | None
    updated_at: ClinicDateTime
    updated_by_username: str | None


class AppointmentCompact(BaseModel):
    """An appointment as a calendar cell shows it."""

    id: uuid.UUID
    number: str
    doctor_id: uuid.UUID
    cabinet_id: uuid.UUID | None
    start: ClinicDateTime
    end: ClinicDateTime
    patient_id: uuid.UUID | None
    patient_name: str
    mobile_phone: str | None
    status_id: uuid.UUID | None
    status_colour: str | None
    is_primary: bool
    marks: Marks
    overbooked: bool
    note: str | None
    version: int = Field(description="the appointment's version: its ETag, for If-Match when moving it")
    deleted: bool = Field(default=False, description="in the trash (listed only with `updated_since`)")


class HistoryEntry(BaseModel):
    """SCH-10: who changed what, field by field (`changes: [{field, from, to}]`)."""

    model_config = ConfigDict(from_attributes=True)
    version: int
    at: ClinicDateTime
    user_id: uuid.UUID | None
    username: str | None
    action: str
    changes: list[dict[str, Any]] = Field(
        description=(
            "`{field, from, to}` per changed field; a reference (doctor_id, cabinet_id, status_id, kind_id,"
            " info_source_id, record_type_id, communication_status_id, deletion_reason_id) also has"
            " `from_name`/`to_name`, the item's name when the change was made, and each service line a `name`;"
            " `start`/`end` are written in the clinic's zone with its offset"
        )
    )


class StatusHistoryEntry(BaseModel):
    status_id: uuid.UUID
    status_name: str | None
    colour: str | None
    at: ClinicDateTime
    user_id: uuid.UUID | None
    username: str | None
