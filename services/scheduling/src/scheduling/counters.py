"""Human numbers (appointment numbers): see `clinic_shared.counters`.

On PostgreSQL `appointment_number` uses its own sequence (migration "appointment_number_sequence"),
so concurrent bookings are not serialised on one counter row."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.counters import Counters
from clinic_shared.db import table_of
from scheduling.models import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


COUNTERS = Counters(table_of(Counter), sequences={"appointment_number"})
next_value = COUNTERS.next_value
allocate = COUNTERS.allocate
