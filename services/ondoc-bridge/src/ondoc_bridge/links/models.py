"""A card's link to an ONDOC patient: attached, later perhaps detached (kept for the list)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from ondoc_bridge.models import Base

ATTACHED = "attached"
DETACHED = "detached"


class PatientLink(Base):
    __tablename__ = "patient_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(index=True)
    ondoc_patient_id: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ATTACHED)
    attach_code_id: Mapped[uuid.UUID | None]
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)
    detached_at: Mapped[datetime | None]
    # who ended the link: "clinic" (card deleted or staff), "patient"/"ondoc" (done in ONDOC)
    detached_by: Mapped[str | None] = mapped_column(String(20))
    detach_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # At most one live link per card and per ONDOC patient; detached links stay as history.
        Index(
            "uq_patient_links_attached_patient",
            "patient_id",
            unique=True,
            postgresql_where=text("status = 'attached'"),
            sqlite_where=text("status = 'attached'"),
        ),
        Index(
            "uq_patient_links_attached_ondoc",
            "ondoc_patient_id",
            unique=True,
            postgresql_where=text("status = 'attached'"),
            sqlite_where=text("status = 'attached'"),
        ),
    )
