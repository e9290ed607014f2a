"""Request and response bodies of the gateway's own API."""

from __future__ import annotations

import re
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from clinic_shared.clinic_time import ClinicDateTime

USERNAME_PATTERN = r"^[A-Za-z0-9_.@-]{2,64}$"
RIGHT_PATTERN = r"^(\*|[a-z][a-z0-9_-]*\.(\*|[a-z][a-z0-9_.-]*))$"


def check_rights_shape(rights: list[str]) -> list[str]:
    bad = [r for r in rights if not re.fullmatch(RIGHT_PATTERN, r)]
    if bad:
        raise ValueError(f"malformed right(s): {', '.join(bad[:5])}")
    return sorted(set(rights))


class Token(BaseModel):
    """OAuth2 token answer. The refresh token is also set as an HttpOnly cookie for browsers."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds the access token is valid")
    refresh_token: str | None = Field(
        default=None, description="use once with POST /api/auth/refresh; absent when the one you sent stays current"
    )
    refresh_expires_in: int = Field(description="seconds until the session ends and a new login is needed")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str | None = Field(
        default=None, max_length=200, description="omit to use the refresh cookie set at login"
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=8, max_length=256)


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: ClinicDateTime
    last_used_at: ClinicDateTime
    expires_at: ClinicDateTime
    client_address: str | None
    user_agent: str | None


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: ClinicDateTime
    actor_id: uuid.UUID | None
    actor_username: str | None
    action: str
    target_type: str | None
    target_id: uuid.UUID | None
    target_name: str | None
    details: dict[str, Any]
    client_address: str | None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=USERNAME_PATTERN)
    password: str = Field(min_length=8, max_length=256)
    roles: list[str] = Field(default_factory=list, max_length=50)
    full_name: str | None = Field(default=None, max_length=200)
    claims: dict[str, str] = Field(default_factory=dict, description="extra token claims, e.g. lab_id")


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, min_length=8, max_length=256)
    roles: list[str] | None = Field(default=None, max_length=50)
    full_name: str | None = Field(default=None, max_length=200)
    active: bool | None = None
    claims: dict[str, str] | None = None


class RoleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    rights: list[str]
    version: int = Field(
        description='raised by every change; send it as `If-Match: "<version>"` to change or delete the role'
    )


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    full_name: str | None
    active: bool
    roles: list[str]
    claims: dict[str, str]
    created_at: ClinicDateTime

    @field_validator("roles", mode="before")
    @classmethod
    def _role_names(cls, value: object) -> object:
        if isinstance(value, list):
            return [getattr(r, "name", r) for r in value]
        return value


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,63}$")
    description: str = Field(default="", max_length=500)
    rights: list[str] = Field(default_factory=list, max_length=500)

    @field_validator("rights")
    @classmethod
    def _rights_shape(cls, rights: list[str]) -> list[str]:
        return check_rights_shape(rights)


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=500)
    rights: list[str] | None = Field(default=None, max_length=500)

    @field_validator("rights")
    @classmethod
    def _rights_shape(cls, rights: list[str] | None) -> list[str] | None:
        return check_rights_shape(rights) if rights is not None else None


class Me(BaseModel):
    id: uuid.UUID
    username: str
    rights: list[str]
