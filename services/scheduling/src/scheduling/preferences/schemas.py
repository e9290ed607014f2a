"""Bodies of `GET|PUT /settings` and `GET|PUT /settings/my-calendar-view`."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.clinic_time import ClinicDateTime
from scheduling.directories.schemas import Colour

MIN_GRID_STEP, MAX_GRID_STEP = 5, 60
MAX_DOCTORS_SHOWN = 200
DaysShown = Literal[1, 3, 7]


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
    working_time_colour: Colour | None = Field(default=None, description="`#RRGGBB` of doctors' working time (SCH-19)")
    break_colour: Colour | None = Field(default=None, description="`#RRGGBB` of breaks (SCH-19)")
    non_working_time_colour: Colour | None = Field(
        default=None, description="`#RRGGBB` of the time outside working hours, when shown (SCH-19)"
    )
    show_non_working_time: bool | None = Field(
        default=None, description="the calendar shows non-working time too, not only working time (SCH-19)"
    )


class PreferencesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    grid_step_minutes: int
    deletion_reason_required: bool
    booking_horizon_days: int
    booking_past_days: int
    working_time_colour: str
    break_colour: str
    non_working_time_colour: str
    show_non_working_time: bool
    timezone: str = Field(description="the clinic's time zone (deployment setting CLINIC_TIMEZONE, read-only)")
    updated_at: ClinicDateTime
    updated_by_username: str | None


class CalendarViewUpdate(BaseModel):
    """The caller's calendar view to change; fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    doctor_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_DOCTORS_SHOWN,
        description="the doctors shown, in order; empty: every doctor with a schedule in the days shown",
    )
    days_shown: DaysShown = Field(default=1, description="how many days the calendar shows: 1, 3 or 7")
    show_non_working_time: bool | None = Field(
        default=None, description="the caller's own choice; null follows the clinic's setting"
    )


class CalendarViewRead(BaseModel):
    doctor_ids: list[uuid.UUID]
    days_shown: int
    show_non_working_time: bool | None = Field(description="the caller's own choice; null: the clinic's setting")
    non_working_time_shown: bool = Field(
        description="what the calendar does for the caller: their choice, else the clinic's setting"
    )
    updated_at: ClinicDateTime | None = Field(description="when the caller last saved the view; null: never")
