"""The one row of scheduling settings (grid step, deletion reason, booking horizon, how the
calendar is painted) and each user's own calendar view (SCH-19)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base

SETTINGS_ROW_ID = 1
DEFAULT_GRID_STEP = 15
DEFAULT_HORIZON_DAYS = 365
DEFAULT_PAST_DAYS = 1
# The calendar's paint: working time white, breaks light orange, non-working time light grey.
DEFAULT_WORKING_TIME_COLOUR = "#FFFFFF"
DEFAULT_BREAK_COLOUR = "#FFD8A8"
DEFAULT_NON_WORKING_TIME_COLOUR = "#E9ECEF"
DEFAULT_DAYS_SHOWN = 1
COLOUR_LENGTH = 7  # "#RRGGBB"


class BookingSettings(Base):
    __tablename__ = "booking_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=SETTINGS_ROW_ID)
    grid_step_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_GRID_STEP)
    deletion_reason_required: Mapped[bool] = mapped_column(Boolean, default=False)
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_HORIZON_DAYS)
    booking_past_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_PAST_DAYS)
    working_time_colour: Mapped[str] = mapped_column(String(COLOUR_LENGTH), default=DEFAULT_WORKING_TIME_COLOUR)
    break_colour: Mapped[str] = mapped_column(String(COLOUR_LENGTH), default=DEFAULT_BREAK_COLOUR)
    non_working_time_colour: Mapped[str] = mapped_column(String(COLOUR_LENGTH), default=DEFAULT_NON_WORKING_TIME_COLOUR)
    show_non_working_time: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))


class UserCalendarView(Base):
    """What one user's calendar opens with; a user who never saved one has no row."""

    __tablename__ = "user_calendar_views"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # Ids as text, in the user's order. No foreign key: a doctor removed from the directory
    # simply drops out of the view when it is read (see service.present_view).
    doctor_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    days_shown: Mapped[int] = mapped_column(Integer, default=DEFAULT_DAYS_SHOWN)
    show_non_working_time: Mapped[bool | None] = mapped_column(Boolean)  # None: the clinic's setting
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
