"""SQL of exams and their employees."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update

from clinic_shared.db import rows_affected, table_of
from clinic_shared.repository import RepositoryBase
from profexam.exams.models import Employee, Exam


class ExamRepository(RepositoryBase[Exam]):
    model = Exam

    async def search(
        self, *, organization_id: uuid.UUID | None, only: frozenset[uuid.UUID] | None, limit: int, offset: int
    ) -> tuple[Sequence[Exam], int]:
        """Exams, latest period first; `only` (a limited user's organisations) narrows them."""
        statement = select(Exam).order_by(Exam.period_from.desc(), Exam.name, Exam.id)
        if organization_id is not None:
            statement = statement.where(Exam.organization_id == organization_id)
        if only is not None:
            statement = statement.where(Exam.organization_id.in_(only))
        return await self.paginate(statement, limit=limit, offset=offset)


class EmployeeRepository(RepositoryBase[Employee]):
    model = Employee

    async def of_exam(
        self, exam_id: uuid.UUID, *, q: str | None, limit: int, offset: int
    ) -> tuple[Sequence[Employee], int]:
        statement = select(Employee).where(Employee.exam_id == exam_id).order_by(*_by_name())
        if q:
            # Names are compared as typed: SQLite's lower() does not fold Cyrillic.
            pattern = f"%{q}%"
            statement = statement.where(or_(Employee.last_name.ilike(pattern), Employee.position.ilike(pattern)))
        return await self.paginate(statement, limit=limit, offset=offset)

    async def stream_exam(self, exam_id: uuid.UUID) -> AsyncIterator[Employee]:
        result = await self.session.stream_scalars(
            select(Employee).where(Employee.exam_id == exam_id).order_by(*_by_name()).execution_options(yield_per=500)
        )
        async for employee in result:
            yield employee

    async def find(self, exam_id: uuid.UUID, patient_id: uuid.UUID) -> Employee | None:
        statement = select(Employee).where(Employee.exam_id == exam_id, Employee.patient_id == patient_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def patient_ids(self, exam_id: uuid.UUID) -> set[uuid.UUID]:
        statement = select(Employee.patient_id).where(Employee.exam_id == exam_id)
        return set((await self.session.execute(statement)).scalars().all())

    async def count_by_position(self, exam_id: uuid.UUID, calculation_id: uuid.UUID) -> dict[tuple[str, str], int]:
        statement = (
            select(Employee.position, Employee.department, func.count())
            .where(Employee.exam_id == exam_id, Employee.calculation_id == calculation_id)
            .group_by(Employee.position, Employee.department)
        )
        return {(p or "", d or ""): int(n) for p, d, n in (await self.session.execute(statement)).all()}

    async def set_card_numbers(self, numbers: dict[uuid.UUID, str]) -> None:
        """Store card numbers learnt from patients on every row of those patients still without one."""
        if not numbers:
            return
        table = table_of(Employee)
        statement = (
            update(table)
            .where(table.c.patient_id == bindparam("pid"), table.c.card_number.is_(None))
            .values(card_number=bindparam("number"))
        )
        await self.session.execute(statement, [{"pid": pid, "number": n} for pid, n in numbers.items()])

    async def insert_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(Employee), rows)

    async def apply_card(self, patient_id: uuid.UUID, version: int, values: dict[str, Any]) -> int:
        statement = (
            update(Employee)
            .where(Employee.patient_id == patient_id, Employee.patient_version < version)
            .values(patient_version=version, **values)
        )
        result = await self.session.execute(statement)
        return rows_affected(result)


def _by_name() -> tuple[Any, ...]:
    return Employee.last_name, Employee.first_name, Employee.middle_name, Employee.id
