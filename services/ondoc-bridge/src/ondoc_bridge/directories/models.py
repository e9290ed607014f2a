"""Mappings of our directory items to ONDOC's, and the state of each directory upload."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base

MAPPING_KINDS = ("doctors", "services", "specializations")
UPLOAD_KINDS = ("specializations", "services", "doctors", "free_slots")


class DirectoryMapping(Base):
    """Staff's answer to "which ONDOC item is this one of ours?" (one ONDOC item per our item)."""

    __tablename__ = "directory_mappings"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    our_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    ondoc_id: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))

    __table_args__ = (UniqueConstraint("kind", "ondoc_id"),)


class DirectoryUpload(Base):
    """The last upload of one directory (or of the free slots) to ONDOC."""

    __tablename__ = "directory_uploads"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # uploaded | failed
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
