"""The one row of scheduling settings (grid step, deletion reason, booking horizon)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base

SETTINGS_ROW_ID = 1
DEFAULT_GRID_STEP = 15
DEFAULT_HORIZON_DAYS = 365
DEFAULT_PAST_DAYS = 1


class BookingSettings(Base):
    __tablename__ = "booking_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=SETTINGS_ROW_ID)
    grid_step_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_GRID_STEP)
    deletion_reason_required: Mapped[bool] = mapped_column(Boolean, default=False)
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_HORIZON_DAYS)
    booking_past_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_PAST_DAYS)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))
