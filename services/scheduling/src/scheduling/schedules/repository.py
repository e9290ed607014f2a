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
# What a booking reads, share-locked on PostgreSQL (SQLite serialises writers, and ignores it).
# A change of the day locks the row for update first (`lock_day`), so the two are serialised:
# a booking that read the day before the change holds the change off until it commits, and the
# change then sees its appointment and refuses to strand it; a booking that comes while a change
# is in progress waits, and reads the changed day. Read again even if already in the session.
_LOCKED = {"populate_existing": True}
_OF_DOCTOR_SHARED = _OF_DOCTOR.with_for_update(read=True).execution_options(**_LOCKED)
_OF_CABINET_SHARED = _OF_CABINET.with_for_update(read=True).execution_options(**_LOCKED)


class ScheduleRepository(RepositoryBase[WorkSchedule]):
    model = WorkSchedule

    async def of_owner(
        self, *, doctor_id: uuid.UUID | None, cabinet_id: uuid.UUID | None, work_date: date, shared: bool = False
    ) -> WorkSchedule | None:
        """The schedule of a doctor (or a cabinet) on a date; `shared`: share-locked, for a booking."""
        owner_id = doctor_id if doctor_id is not None else cabinet_id
        if owner_id is None:
            statement = select(WorkSchedule).where(
                WorkSchedule.work_date == work_date, WorkSchedule.cabinet_id.is_(None)
            )
            return (await self.session.execute(statement)).scalar_one_or_none()
        # Built once: every booking asks this, and building the statement costs more than its SQL.
        if shared:
            statement = _OF_DOCTOR_SHARED if doctor_id is not None else _OF_CABINET_SHARED
        else:
            statement = _OF_DOCTOR if doctor_id is not None else _OF_CABINET
        params = {"owner_id": owner_id, "work_date": work_date}
        return (await self.session.execute(statement, params)).scalar_one_or_none()

    async def of_owner_between(
        self,
        *,
        doctor_id: uuid.UUID | None,
        cabinet_id: uuid.UUID | None,
        first: date,
        last: date,
        for_update: bool = False,
    ) -> dict[date, WorkSchedule]:
        """A doctor's (or cabinet's) schedules of a period, by date (`for_update`: locked, in date order)."""
        statement = select(WorkSchedule).where(WorkSchedule.work_date.between(first, last))
        if doctor_id is not None:
            statement = statement.where(WorkSchedule.doctor_id == doctor_id)
        else:
            statement = statement.where(WorkSchedule.cabinet_id == cabinet_id)
        if for_update:
            statement = statement.order_by(WorkSchedule.work_date).with_for_update().execution_options(**_LOCKED)
        return {s.work_date: s for s in (await self.session.execute(statement)).scalars()}

    async def lock_day(self, schedule_id: uuid.UUID) -> WorkSchedule | None:
        """A schedule day about to change, locked for update (see `_OF_DOCTOR_SHARED`)."""
        statement = (
            select(WorkSchedule).where(WorkSchedule.id == schedule_id).with_for_update().execution_options(**_LOCKED)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    def search(
        self,
        *,
        date_from: date | None,
        date_to: date | None,
        doctor_ids: Sequence[uuid.UUID],
        cabinet_ids: Sequence[uuid.UUID],
    ) -> Select[WorkSchedule]:
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
