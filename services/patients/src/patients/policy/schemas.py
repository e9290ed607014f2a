"""Bodies of /settings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from patients.cards.rules import REQUIRED_FIELDS


class CardSettingsUpdate(BaseModel):
    """PUT /settings; other fields of the GET answer may be sent back and are ignored."""

    required_fields_enabled: bool


class CardSettingsRead(BaseModel):
    required_fields_enabled: bool = Field(description="PAT-2: refuse cards without the required data")
    required_fields: list[str] = Field(
        default=list(REQUIRED_FIELDS), description="what the policy requires; 'contact' = mobile_phone or email"
    )
    updated_at: datetime | None = None
    updated_by_username: str | None = None
