"""The notifier settings document: stored form (with secrets), API read form and update body."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SmsProviderName = Literal["smsc", "quicktelecom", "imobis", "fake"]
EmailProviderName = Literal["smtp", "fake"]
SmtpSecurity = Literal["starttls", "ssl", "none"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _base_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("must be an http:// or https:// URL")
    return value.rstrip("/")


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError("must be a two-letter country code such as RU")
    return code


def _email_or_empty(value: str) -> str:
    if value and not _EMAIL.match(value):
        raise ValueError("must be an e-mail address")
    return value


BaseUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_base_url)]
Country = Annotated[str, AfterValidator(_country)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Secret = Annotated[str, StringConstraints(max_length=500)]
EmailAddress = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email_or_empty)]


# --- stored (server side, secrets in clear) -----------------------------------------------
class SmscConfig(BaseModel):
    base_url: str = "https://smsc.ru"
    login: str = ""
    password: str = ""


class QuickTelecomConfig(BaseModel):
    base_url: str = "https://go.qtelecom.ru/public/http"
    login: str = ""
    password: str = ""


class ImobisConfig(BaseModel):
    base_url: str = "https://api.imobis.ru/v3"
    token: str = ""


class SmtpConfig(BaseModel):
    host: str = ""
    port: int = 587
    login: str = ""
    password: str = ""
    from_address: str = ""
    security: SmtpSecurity = "starttls"


class NotifierConfig(BaseModel):
    """What the dispatcher and renderer use."""

    phone_country: str = "RU"
    clinic_name: str = ""
    clinic_phone: str = ""
    clinic_address: str = ""
    sender_name: str = ""
    sms_provider: SmsProviderName = "smsc"
    email_provider: EmailProviderName = "smtp"
    smsc: SmscConfig = Field(default_factory=SmscConfig)
    quicktelecom: QuickTelecomConfig = Field(default_factory=QuickTelecomConfig)
    imobis: ImobisConfig = Field(default_factory=ImobisConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)


# --- read (secrets replaced by *_set flags) -------------------------------------------------
class SmscRead(BaseModel):
    base_url: str
    login: str
    password_set: bool


class QuickTelecomRead(BaseModel):
    base_url: str
    login: str
    password_set: bool


class ImobisRead(BaseModel):
    base_url: str
    token_set: bool


class SmtpRead(BaseModel):
    host: str
    port: int
    login: str
    password_set: bool
    from_address: str
    security: SmtpSecurity


class SettingsRead(BaseModel):
    phone_country: str
    clinic_name: str
    clinic_phone: str
    clinic_address: str
    sender_name: str
    sms_provider: SmsProviderName
    email_provider: EmailProviderName
    smsc: SmscRead
    quicktelecom: QuickTelecomRead
    imobis: ImobisRead
    smtp: SmtpRead
    updated_at: datetime | None = None
    updated_by_username: str | None = None


# --- update (omitted fields keep their values; an omitted or null secret keeps the old one) -
class _Update(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SmscUpdate(_Update):
    base_url: BaseUrl | None = None
    login: ShortText | None = None
    password: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')


class QuickTelecomUpdate(_Update):
    base_url: BaseUrl | None = None
    login: ShortText | None = None
    password: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')


class ImobisUpdate(_Update):
    base_url: BaseUrl | None = None
    token: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')


class SmtpUpdate(_Update):
    host: Annotated[str, StringConstraints(strip_whitespace=True, max_length=253)] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    login: ShortText | None = None
    password: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')
    from_address: EmailAddress | None = None
    security: SmtpSecurity | None = None


class SettingsUpdate(_Update):
    """PUT body: the fields given replace the stored ones, the others are kept."""

    phone_country: Country | None = None
    clinic_name: ShortText | None = None
    clinic_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    clinic_address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    sender_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    sms_provider: SmsProviderName | None = None
    email_provider: EmailProviderName | None = None
    smsc: SmscUpdate | None = None
    quicktelecom: QuickTelecomUpdate | None = None
    imobis: ImobisUpdate | None = None
    smtp: SmtpUpdate | None = None
