"""Body of GET /calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel

from scheduling.appointments.schemas import AppointmentCompact
from scheduling.schedules.schemas import ClockRangeRead


class DayTypeRef(BaseModel):
    id: uuid.UUID
    name: str
    colour: str


class CalendarSchedule(BaseModel):
    id: uuid.UUID
    intervals: list[ClockRangeRead]
    breaks: list[ClockRangeRead]
    day_type: DayTypeRef | None
    note: str | None


class CalendarOwner(BaseModel):
    type: Literal["doctor", "cabinet"]
    id: uuid.UUID
    name: str
    note: str | None = None


class CalendarColumn(BaseModel):
    """One date of one doctor (or cabinet): its working day and its appointments."""

    date: dt.date
    owner: CalendarOwner
    schedule: CalendarSchedule | None
    appointments: list[AppointmentCompact]


class CalendarGroup(BaseModel):
    """Columns of one date (group_by=date) or of one doctor/cabinet (group_by=doctor)."""

    key: str
    title: str
    columns: list[CalendarColumn]


class Calendar(BaseModel):
    date_from: dt.date
    date_to: dt.date
    timezone: str
    grid_step_minutes: int
    group_by: Literal["date", "doctor"]
    groups: list[CalendarGroup]
