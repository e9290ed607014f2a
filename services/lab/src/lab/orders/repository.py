"""SQL of orders, their samples and tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.orders.models import LabOrder, OrderSample, OrderTest
from lab.results.models import LabResult


class OrderRepository(RepositoryBase[LabOrder]):
    model = LabOrder

    async def search(
        self,
        *,
        lab_ids: frozenset[uuid.UUID] | None,
        patient_id: uuid.UUID | None,
        lab_id: uuid.UUID | None,
        status: str | None,
        appointment_id: uuid.UUID | None,
        charge_id: uuid.UUID | None,
        number: str | None,
        barcode: str | None,
        created_from: datetime | None,
        created_to: datetime | None,
        limit: int,
        updated_since: datetime | None = None,
        offset: int,
    ) -> tuple[Sequence[LabOrder], int]:
        """Newest first; `lab_ids` is the caller's lab scope (None = every lab)."""
        statement = select(LabOrder).order_by(LabOrder.created_at.desc(), LabOrder.number.desc())
        if lab_ids is not None:
            statement = statement.where(LabOrder.lab_id.in_(list(lab_ids)))
        if patient_id is not None:
            statement = statement.where(LabOrder.patient_id == patient_id)
        if lab_id is not None:
            statement = statement.where(LabOrder.lab_id == lab_id)
        if status:
            statement = statement.where(LabOrder.status == status)
        if appointment_id is not None:
            statement = statement.where(LabOrder.appointment_id == appointment_id)
        if charge_id is not None:
            statement = statement.where(LabOrder.charge_id == charge_id)
        if number:
            statement = statement.where(LabOrder.number == number)
        if barcode:
            statement = statement.where(
                LabOrder.id.in_(select(OrderSample.order_id).where(OrderSample.barcode == barcode))
            )
        if created_from is not None:
            statement = statement.where(LabOrder.created_at >= created_from)
        if created_to is not None:
            statement = statement.where(LabOrder.created_at < created_to)
        if updated_since is not None:
            statement = statement.where(LabOrder.updated_at >= updated_since)
        return await self.paginate(statement, limit=limit, offset=offset)

    async def samples(self, order_id: uuid.UUID) -> Sequence[OrderSample]:
        statement = select(OrderSample).where(OrderSample.order_id == order_id).order_by(OrderSample.position)
        return (await self.session.execute(statement)).scalars().all()

    async def tests(self, order_id: uuid.UUID) -> Sequence[OrderTest]:
        statement = select(OrderTest).where(OrderTest.order_id == order_id).order_by(OrderTest.position)
        return (await self.session.execute(statement)).scalars().all()

    async def results(self, order_id: uuid.UUID) -> Sequence[LabResult]:
        statement = select(LabResult).where(LabResult.order_id == order_id)
        return (await self.session.execute(statement)).scalars().all()

    async def sample_by_barcode(self, barcode: str) -> OrderSample | None:
        statement = select(OrderSample).where(OrderSample.barcode == barcode)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def of_charge(self, charge_id: uuid.UUID) -> Sequence[LabOrder]:
        return await self.list_all(select(LabOrder).where(LabOrder.charge_id == charge_id).order_by(LabOrder.number))
