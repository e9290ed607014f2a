"""Attach codes. `live_code` holds the code while it can still be used and is cleared once it
is used, revoked or expired: its unique constraint makes live codes unique while the same nine
digits may come round again years later."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base


class AttachCode(Base):
    __tablename__ = "attach_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(9))
    live_code: Mapped[str | None] = mapped_column(String(9), unique=True)
    contact_priority: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    issued_by_username: Mapped[str | None] = mapped_column(String(150))
