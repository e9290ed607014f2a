"""SQL of the appointment copies."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from clinic_shared.db import table_of
from clinic_shared.outbox import upsert_if_newer
from clinic_shared.repository import RepositoryBase
from ondoc_bridge.appointments.models import AppointmentCopy


class AppointmentRepository(RepositoryBase[AppointmentCopy]):
    model = AppointmentCopy

    async def upsert_if_newer(self, values: dict[str, Any]) -> bool:
        """Store a state unless we hold the same or a newer version."""
        return await upsert_if_newer(self.session, table_of(AppointmentCopy), values)

    async def upcoming_of(self, patient_id: uuid.UUID, *, since: datetime) -> Sequence[AppointmentCopy]:
        """A card's appointments from `since` on that are not deleted, earliest first."""
        statement = (
            select(AppointmentCopy)
            .where(AppointmentCopy.patient_id == patient_id)
            .where(AppointmentCopy.start_at >= since, AppointmentCopy.deleted.is_(False))
            .order_by(AppointmentCopy.start_at)
        )
        return (await self.session.execute(statement)).scalars().all()
