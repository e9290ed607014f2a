"""SQL of the ONDOC bookings."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from ondoc_bridge.booking.models import OndocBooking


class BookingRepository(RepositoryBase[OndocBooking]):
    model = OndocBooking

    async def by_appointment(self, appointment_id: uuid.UUID) -> OndocBooking | None:
        """The ONDOC booking behind one of our appointments."""
        return await self.session.get(OndocBooking, appointment_id)

    async def by_ondoc_id(self, ondoc_appointment_id: str) -> OndocBooking | None:
        """The booking ONDOC made under its own id."""
        statement = select(OndocBooking).where(OndocBooking.ondoc_appointment_id == ondoc_appointment_id)
        return (await self.session.execute(statement)).scalar_one_or_none()
