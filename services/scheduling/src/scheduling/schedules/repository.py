"""SQL of work schedules."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, bindparam, select

from clinic_shared.repository import RepositoryBase
from scheduling.schedules.models import WorkSchedule

_OF_DOCTOR = select(WorkSchedule).where(
    WorkSchedule.work_date == bindparam("work_date"), WorkSchedule.doctor_id == bindparam("owner_id")
)
_OF_CABINET = select(WorkSchedule).where(
    WorkSchedule.work_date == bindparam("work_date"), WorkSchedule.cabinet_id == bindparam("owner_id")
)


class ScheduleRepository(RepositoryBase[WorkSchedule]):
    model = WorkSchedule

    async def of_owner(
        self, *, doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None, work_date: date
    ) -> WorkSchedule | None:
        """The schedule of a doctor (or a cabinet) on a date."""
        owner_id = doctor_id if doctor_id is not None else cabinet_id
        if owner_id is None:
            statement = select(WorkSchedule).where(
                WorkSchedule.work_date == work_date, WorkSchedule.cabinet_id.is_(None)
            )
            return (await self.session.execute(statement)).scalar_one_or_none()
        # Built once: every booking asks this, and building the statement costs more than its SQL.
        statement = _OF_DOCTOR if doctor_id is not None else _OF_CABINET
        params = {"owner_id": owner_id, "work_date": work_date}
        return (await self.session.execute(statement, params)).scalar_one_or_none()

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
