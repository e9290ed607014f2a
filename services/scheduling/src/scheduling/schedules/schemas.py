"""Bodies of /schedules (SCH-2). Times are the clinic's wall-clock times, "HH:MM"."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.dates import ApiDate

Clock = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5)]
Note = Annotated[str, StringConstraints(max_length=4000)]
_FORBID = ConfigDict(extra="forbid")
MAX_RANGES = 12
MAX_BULK_DAYS = 366


class ClockRangeIn(BaseModel):
    model_config = _FORBID
    start: Clock = Field(description='"09:00"')
    end: Clock = Field(description='"18:00" ("24:00" = end of day)')


Ranges = Annotated[list[ClockRangeIn], Field(max_length=MAX_RANGES)]


class ScheduleDay(BaseModel):
    """What a day's schedule holds."""

    model_config = _FORBID
    intervals: Ranges
    breaks: Ranges = Field(default_factory=list)
    day_type_id: uuid.UUID | None = None
    note: Note | None = None


class ScheduleCreate(ScheduleDay):
    """A schedule of a doctor or of a cabinet (exactly one) on one date."""

    doctor_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    date: ApiDate


class ScheduleBulk(ScheduleDay):
    """The same day on every chosen weekday (0 = Monday … 6 = Sunday) of a period."""

    doctor_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    date_from: ApiDate
    date_to: ApiDate
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(min_length=1, max_length=7)
    replace_existing: bool = False


class BreakCreate(ClockRangeIn):
    """A break added to one day (from the booking screen)."""


class ClockRangeRead(BaseModel):
    start: str
    end: str
    starts_at: ClinicDateTime = Field(description="the instant of `start` on this date, in the clinic's zone")
    ends_at: ClinicDateTime


class ScheduleRead(BaseModel):
    id: uuid.UUID
    doctor_id: uuid.UUID | None
    cabinet_id: uuid.UUID | None
    date: dt.date
    intervals: list[ClockRangeRead]
    breaks: list[ClockRangeRead]
    day_type_id: uuid.UUID | None
    note: str | None
    version: int
    created_at: ClinicDateTime
    created_by_username: str | None
    updated_at: ClinicDateTime
    updated_by_username: str | None


class BulkSkip(BaseModel):
    date: dt.date
    reason: str
    schedule_id: uuid.UUID | None = None
    conflicts: list[uuid.UUID] = Field(default_factory=list)


class BulkResult(BaseModel):
    created: list[dt.date]
    replaced: list[dt.date]
    skipped: list[BulkSkip]
