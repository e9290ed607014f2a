"""Test ↔ price-list service links (LAB-3) and a display cache of the price list."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from lab.models import Base


class TestServiceLink(Base):
    """Charging `service_id` orders `test_id`; a service may order several tests."""

    __tablename__ = "test_service_links"
    __test__ = False  # not a pytest class, despite the name

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lab_tests.id"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_username: Mapped[str | None] = mapped_column(String(150))

    __table_args__ = (UniqueConstraint("test_id", "service_id"),)

    @property
    def updated_at(self) -> datetime:
        """A link never changes: its version (ETag) is when it was made."""
        return self.created_at


class PriceListService(Base):
    """Code and name of a scheduling price-list service, as last seen (for display only)."""

    __tablename__ = "price_list_services"

    service_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(500))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
