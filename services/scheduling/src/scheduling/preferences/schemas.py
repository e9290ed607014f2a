"""Bodies of `GET|PUT /settings`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.clinic_time import ClinicDateTime

MIN_GRID_STEP, MAX_GRID_STEP = 5, 60


class PreferencesUpdate(BaseModel):
    """The settings to change; fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    grid_step_minutes: int | None = Field(
        default=None, ge=MIN_GRID_STEP, le=MAX_GRID_STEP, description="calendar step and default duration (SCH-3)"
    )
    deletion_reason_required: bool | None = Field(default=None, description="deleting needs a reason (SCH-6)")
    booking_horizon_days: int | None = Field(
        default=None, ge=1, le=3650, description="how many days ahead an appointment may be booked"
    )
    booking_past_days: int | None = Field(
        default=None, ge=0, le=3650, description="how many days back an appointment may still be booked or moved"
    )


class PreferencesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    grid_step_minutes: int
    deletion_reason_required: bool
    booking_horizon_days: int
    booking_past_days: int
    timezone: str = Field(description="the clinic's time zone (deployment setting CLINIC_TIMEZONE, read-only)")
    updated_at: ClinicDateTime
    updated_by_username: str | None
