"""Bodies of /access (PRO-8)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime

MAX_ORGANIZATIONS = 1000


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class AccessUpdate(BaseModel):
    """The organisations a user is limited to; an empty list limits them to none."""

    model_config = ConfigDict(extra="forbid")

    organization_ids: list[uuid.UUID] = Field(max_length=MAX_ORGANIZATIONS, description="repeated ids count once")
    note: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None,
        BeforeValidator(_blank_to_none),
    ] = None


class AccessRead(BaseModel):
    user_id: uuid.UUID
    organization_ids: list[uuid.UUID]
    note: str | None
    updated_at: ClinicDateTime
    updated_by: uuid.UUID | None


class MyAccess(BaseModel):
    """The caller's own limitation: `limited` false → every organisation (`organization_ids` null)."""

    limited: bool
    organization_ids: list[uuid.UUID] | None
