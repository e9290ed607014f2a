"""Bodies of /settings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from clinic_shared.clinic_time import ClinicDateTime
from patients.card_issues.rules import MAX_OUT_DAYS
from patients.cards.rules import REQUIRED_FIELDS


class CardSettingsUpdate(BaseModel):
    """PUT /settings; the GET answer may be sent back: its read-only fields are ignored."""

    required_fields_enabled: bool
    card_out_days: int | None = Field(
        default=None, ge=1, le=MAX_OUT_DAYS, description="PAT-9: days a card given out may stay out; null → unchanged"
    )


class CardSettingsRead(BaseModel):
    required_fields_enabled: bool = Field(description="PAT-2: refuse cards without the required data")
    required_fields: list[str] = Field(
        default=list(REQUIRED_FIELDS), description="what the policy requires; 'contact' = mobile_phone or email"
    )
    card_out_days: int = Field(description="PAT-9: days a card given out may stay out when no due date is named")
    updated_at: ClinicDateTime | None = None
    updated_by_username: str | None = None
