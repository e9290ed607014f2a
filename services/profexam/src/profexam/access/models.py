"""Per-organisation access (PRO-8): a user with an entry sees only its organisations.

An entry is its own row, so a user limited to no organisation at all (every one removed, or the
organisations deleted) stays limited — to nothing — instead of silently seeing everything.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from profexam.models import Base


class UserAccess(Base):
    """A user (the gateway's user id) limited to the organisations listed for them."""

    __tablename__ = "user_access"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[uuid.UUID | None]


class UserAccessOrganization(Base):
    __tablename__ = "user_access_organizations"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_access.user_id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
