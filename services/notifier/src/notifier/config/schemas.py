"""The notifier settings document: stored form (with secrets), API read form and update body."""

from __future__ import annotations

import re
from typing import Annotated, Literal

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime

SmsProviderName = Literal["smsc", "quicktelecom", "imobis", "fake"]
EmailProviderName = Literal["smtp", "fake"]
SmtpSecurity = Literal["starttls", "ssl", "none"]
# Imobis's chat-bot channels (NOT-9): messengers and a social network, tried before SMS.
ChatChannel = Literal["viber", "vk", "telegram"]
SmtpTokenKind = Literal["certificate", "oauth_token"]

IMOBIS_URL = "https://api.imobis.ru/v3"
# Embedded mode (CLINIC_NOTIFIER_FAKES): Imobis is the in-process fake at a host that never
# resolves, so the address only ever reaches the fake (notifier/fake_imobis.py).
FAKE_IMOBIS_URL = "http://imobis.fake/v3"
FAKE_IMOBIS_TOKEN = "fake-imobis-token"
# Imobis's limits on how long a channel may try before the next one takes over (its `ttl`).
IMOBIS_TTL_MIN, IMOBIS_TTL_MAX, IMOBIS_TTL_DEFAULT = 60, 172_800, 600
# Imobis routes a message over at most three channels (SMS included).
IMOBIS_MAX_ROUTE = 3

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
# The e-mail «Токен»: an OAuth 2.0 access token, or a client certificate and its key in PEM.
SmtpToken = Annotated[str, StringConstraints(max_length=20_000)]
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


class ImobisChannelConfig(BaseModel):
    """One chat-bot channel of Imobis, in the priority order of `ImobisConfig.channels`."""

    channel: ChatChannel
    enabled: bool = True
    # Viber: the sender name registered with Imobis (empty: the settings' `sender_name`).
    sender: str = ""
    # VK: the id of the community (group) that writes to the patient.
    group_id: int | None = None


class ImobisConfig(BaseModel):
    base_url: str = IMOBIS_URL
    token: str = ""
    channels: list[ImobisChannelConfig] = Field(default_factory=list)
    sms_fallback: bool = True
    ttl_seconds: int = IMOBIS_TTL_DEFAULT


class SmtpConfig(BaseModel):
    host: str = ""
    port: int = 587
    login: str = ""
    password: str = ""
    # «Токен — ввод электронного сертификата»: see `delivery/email.py` for how each kind is used.
    token: str = ""
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


class ImobisChannelRead(BaseModel):
    channel: ChatChannel
    enabled: bool
    sender: str
    group_id: int | None


class ImobisRead(BaseModel):
    base_url: str
    token_set: bool
    channels: list[ImobisChannelRead] = Field(description="chat-bot channels, first tried first")
    sms_fallback: bool = Field(description="SMS as the last channel when no messenger delivers")
    ttl_seconds: int = Field(description="how long a channel may try before the next one takes over")


class SmtpRead(BaseModel):
    host: str
    port: int
    login: str
    password_set: bool
    token_set: bool
    token_kind: SmtpTokenKind | None = Field(description="what the stored token is (never the token itself)")
    certificate_expires_at: ClinicDateTime | None = Field(
        default=None, description="when the stored client certificate expires"
    )
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
    updated_at: ClinicDateTime | None = None
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


class ImobisChannelUpdate(_Update):
    channel: ChatChannel = Field(description="viber, vk (ВКонтакте) or telegram (codes only: the ONDOC attach code)")
    enabled: bool = True
    sender: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        default="", description="viber: the sender name registered with Imobis (empty: sender_name)"
    )
    group_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = Field(
        default=None, description="vk: the community id (required)"
    )


class ImobisUpdate(_Update):
    base_url: BaseUrl | None = None
    token: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')
    channels: Annotated[list[ImobisChannelUpdate], Field(max_length=3)] | None = Field(
        default=None, description="chat-bot channels in priority order; replaces the stored list ([] = SMS only)"
    )
    sms_fallback: bool | None = None
    ttl_seconds: Annotated[int, Field(ge=IMOBIS_TTL_MIN, le=IMOBIS_TTL_MAX)] | None = None


class SmtpUpdate(_Update):
    host: Annotated[str, StringConstraints(strip_whitespace=True, max_length=253)] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    login: ShortText | None = None
    password: Secret | None = Field(default=None, description='write-only; null keeps the stored one, "" clears it')
    token: SmtpToken | None = Field(
        default=None,
        description="write-only «Токен»: an OAuth 2.0 access token (sent with AUTH XOAUTH2 instead of the "
        "password) or a client certificate with its private key in PEM (shown to the server in TLS); "
        'null keeps the stored one, "" clears it',
    )
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
