"""Online booking tables (SCH-13): doctor↔service links, the general discount, widget API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from scheduling.models import Base

ONLINE_SETTINGS_ROW_ID = 1


class OnlineLink(Base):
    """Which doctor offers which service online, and at what price and prepayment."""

    __tablename__ = "online_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    doctor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("doctors.id"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"), index=True)
    mode: Mapped[str] = mapped_column(String(30), default="clinic")
    show_price: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    prepayment_required: Mapped[bool] = mapped_column(Boolean, default=False)
    prepayment_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    discount_on_prepayment: Mapped[bool] = mapped_column(Boolean, default=False)
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    round_to_rubles: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("doctor_id", "service_id"),)


class OnlineSettings(Base):
    """The one row of online-booking settings: the general discount applied to every link."""

    __tablename__ = "online_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=ONLINE_SETTINGS_ROW_ID)
    general_discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_username: Mapped[str | None] = mapped_column(String(150))


class ApiKey(Base):
    """A key of the clinic's website widget; only its SHA-256 is kept, the key is shown once."""

    __tablename__ = "online_api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    label: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so staff can tell keys apart without the secret.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_username: Mapped[str | None] = mapped_column(String(150))
    last_used_at: Mapped[datetime | None] = mapped_column()
