"""Human numbers (order numbers, barcodes): see `clinic_shared.counters`."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.counters import Counters
from clinic_shared.db import table_of
from lab.models import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


COUNTERS = Counters(table_of(Counter))
next_value = COUNTERS.next_value
allocate = COUNTERS.allocate
