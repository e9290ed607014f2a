"""SQL of the projections (appointments, patients, discount cards)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of
from clinic_shared.outbox import upsert_if_newer
from notifier.projections.models import AppointmentProjection, DiscountCardProjection, PatientProjection


class ProjectionRepository:
    """Upserts by aggregate version and the lookups the planner and renderer need."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_appointment(self, values: dict[str, Any]) -> bool:
        return await upsert_if_newer(self.session, table_of(AppointmentProjection), values)

    async def upsert_patient(self, values: dict[str, Any]) -> bool:
        return await upsert_if_newer(self.session, table_of(PatientProjection), values)

    async def upsert_discount_card(self, values: dict[str, Any]) -> bool:
        return await upsert_if_newer(self.session, table_of(DiscountCardProjection), values)

    async def appointments(self, ids: Iterable[uuid.UUID]) -> Sequence[AppointmentProjection]:
        wanted = list(set(ids))
        if not wanted:
            return []
        return (
            (await self.session.execute(select(AppointmentProjection).where(AppointmentProjection.id.in_(wanted))))
            .scalars()
            .all()
        )

    async def patients(self, ids: Iterable[uuid.UUID]) -> Sequence[PatientProjection]:
        wanted = list(set(ids))
        if not wanted:
            return []
        return (
            (await self.session.execute(select(PatientProjection).where(PatientProjection.id.in_(wanted))))
            .scalars()
            .all()
        )

    async def discount_cards(self, ids: Iterable[uuid.UUID]) -> Sequence[DiscountCardProjection]:
        wanted = list(set(ids))
        if not wanted:
            return []
        statement = select(DiscountCardProjection).where(DiscountCardProjection.id.in_(wanted))
        return (await self.session.execute(statement)).scalars().all()

    async def latest_discount_cards(self, patient_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, DiscountCardProjection]:
        wanted = list(set(patient_ids))
        if not wanted:
            return {}
        statement = (
            select(DiscountCardProjection)
            .where(DiscountCardProjection.patient_id.in_(wanted))
            .order_by(DiscountCardProjection.issued_at)
        )
        # Later rows overwrite earlier ones: the newest card of each patient wins.
        return {card.patient_id: card for card in (await self.session.execute(statement)).scalars().all()}

    async def active_appointments_from(self, moment: datetime) -> Sequence[AppointmentProjection]:
        statement = (
            select(AppointmentProjection)
            .where(AppointmentProjection.start >= moment, AppointmentProjection.deleted.is_(False))
            .order_by(AppointmentProjection.start)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def patients_born_on(self, month_days: Iterable[str]) -> Sequence[PatientProjection]:
        wanted = sorted(set(month_days))
        if not wanted:
            return []
        statement = select(PatientProjection).where(
            PatientProjection.birth_month_day.in_(wanted), PatientProjection.deleted.is_(False)
        )
        return (await self.session.execute(statement)).scalars().all()
