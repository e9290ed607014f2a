"""SQL of work schedules."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, select

from clinic_shared.repository import RepositoryBase
from scheduling.schedules.models import WorkSchedule


class ScheduleRepository(RepositoryBase[WorkSchedule]):
    model = WorkSchedule

    async def of_owner(
        self, *, doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None, work_date: date
    ) -> WorkSchedule | None:
        """The schedule of a doctor (or a cabinet) on a date."""
        statement = select(WorkSchedule).where(WorkSchedule.work_date == work_date)
        if doctor_id is not None:
            statement = statement.where(WorkSchedule.doctor_id == doctor_id)
        else:
            statement = statement.where(WorkSchedule.cabinet_id == cabinet_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def of_owner_between(
        self, *, doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None, first: date, last: date
    ) -> dict[date, WorkSchedule]:
        """A doctor's (or cabinet's) schedules of a period, by date."""
        statement = select(WorkSchedule).where(WorkSchedule.work_date.between(first, last))
        if doctor_id is not None:
            statement = statement.where(WorkSchedule.doctor_id == doctor_id)
        else:
            statement = statement.where(WorkSchedule.cabinet_id == cabinet_id)
        return {s.work_date: s for s in (await self.session.execute(statement)).scalars()}

    def search(
        self,
        *,
        date_from: date | None,
        date_to: date | None,
        doctor_ids: Sequence[uuid.UUID],
        cabinet_ids: Sequence[uuid.UUID],
    ) -> Select[tuple[WorkSchedule]]:
        """Schedules of a period, of the given doctors and/or cabinets, by date."""
        statement = select(WorkSchedule)
        if date_from is not None:
            statement = statement.where(WorkSchedule.work_date >= date_from)
        if date_to is not None:
            statement = statement.where(WorkSchedule.work_date <= date_to)
        owners = []
        if doctor_ids:
            owners.append(WorkSchedule.doctor_id.in_(doctor_ids))
        if cabinet_ids:
            owners.append(WorkSchedule.cabinet_id.in_(cabinet_ids))
        if len(owners) == 1:
            statement = statement.where(owners[0])
        elif owners:
            statement = statement.where(owners[0] | owners[1])
        return statement.order_by(WorkSchedule.work_date, WorkSchedule.doctor_id, WorkSchedule.cabinet_id)
