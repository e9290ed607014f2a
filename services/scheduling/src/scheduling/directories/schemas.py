"""Request and response bodies of the directories (SCH-1).

Create bodies require what an item cannot live without; update bodies (PATCH) change only
the fields sent. Every item has `active`: inactive items stay on old appointments but are
hidden from lists (unless `active` is asked for) and cannot be chosen for new ones.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.text import typed_name

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A doctor's name as typed: all lower case gets capitals per word, mixed case is kept (clinic_shared.text).
PersonName = Annotated[
    str, BeforeValidator(typed_name), StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Note = Annotated[str, StringConstraints(max_length=4000)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Duration = Annotated[int, Field(ge=1, le=24 * 60)]

_FORBID = ConfigDict(extra="forbid")
_READ = ConfigDict(from_attributes=True)


# --- items with a name only: departments, specializations, appointment kinds, information
# sources, communication statuses, deletion reasons -------------------------------------
class NamedCreate(BaseModel):
    model_config = _FORBID
    name: Name
    active: bool = True


class NamedUpdate(BaseModel):
    model_config = _FORBID
    name: Name | None = None
    active: bool | None = None


class NamedRead(BaseModel):
    model_config = _READ
    id: uuid.UUID
    name: str
    active: bool
    created_at: ClinicDateTime
    updated_at: ClinicDateTime


# --- buildings ----------------------------------------------------------------------------
class BuildingCreate(NamedCreate):
    address: Address | None = None
    phone: Phone | None = None


class BuildingUpdate(NamedUpdate):
    address: Address | None = None
    phone: Phone | None = None


class BuildingRead(NamedRead):
    address: str | None
    phone: str | None


# --- cabinets -----------------------------------------------------------------------------
class CabinetCreate(NamedCreate):
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None


class CabinetUpdate(NamedUpdate):
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None


class CabinetRead(NamedRead):
    building_id: uuid.UUID | None
    department_id: uuid.UUID | None


class CabinetFilters(BaseModel):
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None


# --- doctors ------------------------------------------------------------------------------
class DoctorCreate(BaseModel):
    model_config = _FORBID
    last_name: PersonName
    first_name: PersonName
    middle_name: PersonName | None = None
    specialization_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    phone: Phone | None = None
    academic_degree: ShortText | None = None
    note: Note | None = None
    online_booking: bool = False
    active: bool = True


class DoctorUpdate(BaseModel):
    model_config = _FORBID
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    middle_name: PersonName | None = None
    specialization_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    phone: Phone | None = None
    academic_degree: ShortText | None = None
    note: Note | None = None
    online_booking: bool | None = None
    active: bool | None = None


class DoctorRead(BaseModel):
    model_config = _READ
    id: uuid.UUID
    name: str
    last_name: str
    first_name: str
    middle_name: str | None
    specialization_ids: list[uuid.UUID]
    building_id: uuid.UUID | None
    department_id: uuid.UUID | None
    phone: str | None
    academic_degree: str | None
    note: str | None
    online_booking: bool
    active: bool
    created_at: ClinicDateTime
    updated_at: ClinicDateTime


class DoctorFilters(BaseModel):
    specialization_id: uuid.UUID | None = None
    building_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    online_booking: bool | None = None


# --- price list ---------------------------------------------------------------------------
class ServiceCreate(NamedCreate):
    code: Code
    group: ShortText | None = None
    price: Price = Decimal("0")
    duration_minutes: Duration | None = None


class ServiceUpdate(NamedUpdate):
    code: Code | None = None
    group: ShortText | None = None
    price: Price | None = None
    duration_minutes: Duration | None = None


class ServiceRead(NamedRead):
    code: str
    group: str | None
    price: Decimal
    duration_minutes: int | None


class ServiceFilters(BaseModel):
    group: str | None = None


# --- record types -------------------------------------------------------------------------
class RecordTypeCreate(NamedCreate):
    code: Code


class RecordTypeUpdate(NamedUpdate):
    code: Code | None = None


class RecordTypeRead(NamedRead):
    code: str
    system: bool


# --- deletion reasons ---------------------------------------------------------------------
class DeletionReasonUpdate(NamedUpdate):
    # Only ever the value it has: reserved reasons are made by the platform, never by a PATCH.
    reserved: bool | None = None


class DeletionReasonRead(NamedRead):
    code: str | None
    reserved: bool


# --- appointment statuses and day types (with a colour) -----------------------------------
class StatusCreate(NamedCreate):
    colour: Colour = "#FFFFFF"
    sets_processed: bool = False


class StatusUpdate(NamedUpdate):
    colour: Colour | None = None
    sets_processed: bool | None = None


class StatusRead(NamedRead):
    colour: str
    sets_processed: bool


class DayTypeCreate(NamedCreate):
    colour: Colour = "#FFFFFF"


class DayTypeUpdate(NamedUpdate):
    colour: Colour | None = None


class DayTypeRead(NamedRead):
    colour: str


class NoFilters(BaseModel):
    pass
