"""Bodies of GET|PUT /settings (OND-1). Secrets go in, never come out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from clinic_shared.clinic_time import ClinicDateTime
from ondoc_bridge.zones import InvalidZone, normalise_zone

Token = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Secret = Annotated[str, StringConstraints(min_length=16, max_length=256)]
ContactPriority = Literal["mobile", "email"]
MASK = "***"


class SecretInfo(BaseModel):
    """A callback secret as the API shows it: a fingerprint to tell secrets apart when rotating."""

    fingerprint: str


class ConfigRead(BaseModel):
    server_url: str | None
    company_token: str | None = Field(description='"***" when set, null otherwise')
    company_token_set: bool
    branch_token: str | None = Field(description='"***" when set, null otherwise')
    branch_token_set: bool
    time_zone: str = Field(
        description="the clinic's time zone ONDOC times are written in: the platform's, set with "
        "PUT /api/platform/settings (read-only here)"
    )
    time_zone_offset: str = Field(description='its UTC offset now, e.g. "+03:00"')
    refresh_interval_minutes: int
    enabled: bool
    contact_priority: ContactPriority
    callback_secrets: list[SecretInfo]
    attach_code_ttl_minutes: int
    version: int
    updated_at: ClinicDateTime


class ConfigUpdate(BaseModel):
    """PUT /settings. A field left out keeps its value; a token or secret list sent replaces it
    ("" or null clears a token)."""

    model_config = ConfigDict(extra="forbid")

    server_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    company_token: Token | None = Field(default=None, description='access token "old API" (company)')
    branch_token: Token | None = Field(default=None, description='access token "new API" (branch)')
    time_zone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = Field(
        default=None,
        description='deprecated, a check only: "+03:00", "GMT+3" or an IANA name such as "Europe/Moscow". '
        "Accepted (and changing nothing) when it is the clinic zone's offset, refused with 422 otherwise: "
        "the clinic zone is the platform's (PUT /api/platform/settings).",
        json_schema_extra={"deprecated": True},
    )
    refresh_interval_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    enabled: bool | None = None
    contact_priority: ContactPriority | None = None
    callback_secrets: list[Secret] | None = Field(
        default=None, min_length=1, max_length=5, description="active secrets; the first signs, all verify"
    )
    attach_code_ttl_minutes: int | None = Field(default=None, ge=1, le=30 * 24 * 60)

    @field_validator(
        "time_zone",
        "refresh_interval_minutes",
        "enabled",
        "contact_priority",
        "callback_secrets",
        "attach_code_ttl_minutes",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields sent: left out keeps the value, but these have no "empty" value
        # (an explicit null used to reach the NOT NULL column and answer 500).
        if value is None:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value

    @field_validator("server_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return value or None
        if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1].strip("/")) == 0:
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_zone(value)
        except InvalidZone as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("callback_secrets")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("secrets must differ")
        return value
