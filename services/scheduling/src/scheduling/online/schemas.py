"""Request and response bodies of /online/* (SCH-13): staff setup and the public widget API."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.dates import ApiAwareDateTime, ApiDate
from scheduling.appointments.schemas import Name, Phone

_FORBID = ConfigDict(extra="forbid")
Money = Annotated[Decimal, Field(max_digits=12)]
Percent = Annotated[Decimal, Field(max_digits=5)]


class LinkFields(BaseModel):
    """The settings of one doctor↔service link; rules are checked by `pricing.validate_link`."""

    model_config = _FORBID
    mode: Literal["clinic", "online_consultation"] = "clinic"
    show_price: bool = False
    price: Money | None = None
    prepayment_required: bool = False
    prepayment_amount: Money | None = None
    discount_on_prepayment: bool = False
    discount_percent: Percent | None = None
    round_to_rubles: bool = False


class LinkCreate(LinkFields):
    doctor_id: uuid.UUID
    service_id: uuid.UUID


class LinkUpdate(BaseModel):
    """Only the fields sent change; the result is validated as a whole."""

    model_config = _FORBID
    mode: Literal["clinic", "online_consultation"] | None = None
    show_price: bool | None = None
    price: Money | None = None
    prepayment_required: bool | None = None
    prepayment_amount: Money | None = None
    discount_on_prepayment: bool | None = None
    discount_percent: Percent | None = None
    round_to_rubles: bool | None = None


class LinkRead(LinkFields):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    doctor_id: uuid.UUID
    service_id: uuid.UUID


class OnlineSettingsUpdate(BaseModel):
    model_config = _FORBID
    general_discount_percent: Decimal = Field(description="percent 0–100 applied to every link's price")


class ApiKeyCreate(BaseModel):
    model_config = _FORBID
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    label: str
    prefix: str
    created_at: ClinicDateTime
    last_used_at: ClinicDateTime | None = None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="the key itself: shown only now, store it in the widget")


class OnlineSettingsRead(BaseModel):
    general_discount_percent: Decimal
    api_keys: list[ApiKeyRead] = Field(description="the widget's API keys (without the secrets)")


# --- public widget API -----------------------------------------------------------------
class PublicSpecialization(BaseModel):
    id: uuid.UUID
    name: str


class PublicDoctor(BaseModel):
    id: uuid.UUID
    name: str
    specializations: list[PublicSpecialization]
    building_id: uuid.UUID | None
    building: str | None


class PriceQuote(BaseModel):
    """What the widget shows for a doctor↔service link; null amounts are not shown."""

    mode: str
    full_price: Decimal | None
    price: Decimal | None
    price_with_prepayment: Decimal | None
    prepayment: Decimal | None
    due_at_clinic: Decimal | None


class PublicOffer(BaseModel):
    doctor_id: uuid.UUID
    quote: PriceQuote


class PublicService(BaseModel):
    id: uuid.UUID
    name: str
    duration_minutes: int | None
    modes: list[str]
    offers: list[PublicOffer]


class OnlinePatient(BaseModel):
    model_config = _FORBID
    last_name: Name
    first_name: Name
    middle_name: Name | None = None
    mobile_phone: Phone
    birth_date: ApiDate | None = None
    email: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None
    ) = None


class OnlineBooking(BaseModel):
    model_config = _FORBID
    doctor_id: uuid.UUID
    service_id: uuid.UUID | None = None
    start: ApiAwareDateTime
    duration_minutes: int | None = Field(default=None, description="default: the service's, else the grid step")
    patient: OnlinePatient


class OnlineBooked(BaseModel):
    """The booking as the patient sees it: their own appointment only."""

    id: uuid.UUID
    number: str
    start: ClinicDateTime
    end: ClinicDateTime
    doctor: PublicDoctor
    service_id: uuid.UUID | None
    quote: PriceQuote | None
