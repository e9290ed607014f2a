"""The lab settings row (LAB-1) and the barcode printer of each workstation."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base

SETTINGS_ROW_ID = 1


class LabPreferences(Base):
    """One row: the clinic's lab settings."""

    __tablename__ = "lab_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    use_new_laboratory: Mapped[bool] = mapped_column(Boolean, default=True)
    default_case: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    create_on_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    create_on_charge_lab_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    send_automatically: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every change: the settings' ETag (updated_at is empty until the first change).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime | None]
    updated_by_username: Mapped[str | None] = mapped_column(String(150))


class WorkstationPrinter(Base):
    """The default barcode printer of one workstation (an id the client sends)."""

    __tablename__ = "workstation_printers"

    workstation_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    printer_name: Mapped[str] = mapped_column(String(200))
    dpi: Mapped[int] = mapped_column(Integer)
    label_width_mm: Mapped[float] = mapped_column(Float)
    label_height_mm: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[uuid.UUID | None]
