"""Contract price lists (PRO-7): the prices an organisation's contract sets for exam services."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from profexam.models import Base


class ContractPrice(Base):
    """One service of a contract's price list (прайс-лист по договору): code, name, group, price."""

    __tablename__ = "contract_prices"
    __table_args__ = (UniqueConstraint("contract_id", "code_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    # The code as compared: case-folded, single spaces (a service is listed once per contract).
    code_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    # Lower-case copy for a search that behaves the same on SQLite and PostgreSQL.
    name_norm: Mapped[str] = mapped_column(String(300))
    group: Mapped[str | None] = mapped_column("service_group", String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
