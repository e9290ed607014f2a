"""Calculations: planned positions with headcounts, factors and prices; employees from them (PRO-5).

"Import employees from a calculation" (the original's «Импорт из калькуляции») is offered two
ways: `POST /calculations/{id}/employees` adds given patients on the calculation's positions
(factors taken from the position, headcount not exceeded), and an Excel employee import with
`calculation_id` in its mapping fills each row's factors from its position's line.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from profexam.calculations.models import Calculation, CalculationPosition
from profexam.calculations.repository import CalculationRepository
from profexam.calculations.rows import PlannedPosition, position_key
from profexam.calculations.schemas import (
    CalculationCreate,
    CalculationEmployees,
    CalculationRead,
    line_total,
    position_read,
)
from profexam.exams import service as exam_service
from profexam.exams.models import Employee, Exam
from profexam.exams.repository import EmployeeRepository
from profexam.factors import service as factor_service
from profexam.patients_client import PatientsClient
from profexam.prices import service as price_service
from profexam.prices.rules import line_price
from profexam.scope import EVERY_ORGANIZATION, OrganizationScope

log = get_logger(__name__)


async def get_calculation(session: AsyncSession, *, calculation_id: uuid.UUID, scope: OrganizationScope) -> Calculation:
    """A calculation of an exam the caller may see; 404 when there is none or it is another organisation's."""
    calculation = await CalculationRepository(session).get(calculation_id)
    if calculation is not None and scope.limited:
        exam = await session.get(Exam, calculation.exam_id)
        if exam is None or not scope.allows(exam.organization_id):
            calculation = None
    if calculation is None:
        raise NotFound(f"Calculation {calculation_id} not found.")
    return calculation


async def read_calculation(session: AsyncSession, calculation: Calculation) -> CalculationRead:
    """A calculation with its lines and line totals."""
    positions = await CalculationRepository(session).positions(calculation.id)
    return CalculationRead(
        id=calculation.id,
        exam_id=calculation.exam_id,
        name=calculation.name,
        total_price=calculation.total_price,
        contract_id=calculation.contract_id,
        created_at=calculation.created_at,
        positions=[position_read(p) for p in positions],
    )


async def list_calculations(
    session: AsyncSession, *, exam_id: uuid.UUID, limit: int, offset: int, scope: OrganizationScope
) -> tuple[Sequence[Calculation], int]:
    """An exam's calculations, oldest first."""
    await exam_service.get_exam(session, exam_id=exam_id, scope=scope)
    return await CalculationRepository(session).of_exam(exam_id, limit=limit, offset=offset)


async def create_calculation(
    session: AsyncSession,
    *,
    exam_id: uuid.UUID,
    data: CalculationCreate,
    principal: Principal,
    scope: OrganizationScope,
) -> Calculation:
    """A calculation typed in: codes checked against the dictionary (and the organisation's mappings)."""
    exam = await exam_service.get_exam(session, exam_id=exam_id, scope=scope)
    planned = []
    for line, position in enumerate(data.positions, start=1):
        codes = await factor_service.resolve_codes(
            session,
            organization_id=exam.organization_id,
            codes=position.harmful_factor_codes,
            field=f"positions.{line - 1}.harmful_factor_codes",
        )
        planned.append(
            PlannedPosition(
                line,
                position.position,
                position.department,
                position.headcount,
                codes,
                position.price,
                position.service_code,
            )
        )
    return await save_calculation(session, exam=exam, name=data.name, planned=planned, principal=principal)


async def save_calculation(
    session: AsyncSession, *, exam: Exam, name: str, planned: list[PlannedPosition], principal: Principal
) -> Calculation:
    """Store checked positions as a calculation; the total is Σ price × headcount.

    Lines are priced here (PRO-7): a line whose service is in the price list of the contract that
    applies to the exam takes that price, any other keeps the price it came with (see prices/rules.py).
    The prices are copied: a later change of the price list leaves saved calculations as they are.
    """
    contract = await price_service.contract_for_exam(session, exam)
    listed = await price_service.prices_by_code(session, contract.id) if contract is not None else {}
    priced = [line_price(p.service_code, p.price, listed) for p in planned]
    total = sum((line_total(price, p.headcount) for p, (price, _) in zip(planned, priced, strict=True)), Decimal("0"))
    calculation = Calculation(
        id=uuid.uuid4(),
        exam_id=exam.id,
        name=name,
        total_price=total,
        contract_id=contract.id if contract is not None else None,
        created_at=utcnow(),
        created_by=principal.user_id,
    )
    repository = CalculationRepository(session)
    await repository.add(calculation)
    repository.add_positions(
        [
            CalculationPosition(
                id=uuid.uuid4(),
                calculation_id=calculation.id,
                line=line,
                position=p.position,
                department=p.department,
                headcount=p.headcount,
                harmful_factor_codes=p.harmful_factor_codes,
                service_code=p.service_code,
                price=price,
                price_source=source,
            )
            for line, (p, (price, source)) in enumerate(zip(planned, priced, strict=True), start=1)
        ]
    )
    await session.flush()
    log.info(
        "profexam.calculation.created",
        calculation_id=str(calculation.id),
        exam_id=str(exam.id),
        contract_id=str(contract.id) if contract is not None else None,
    )
    return calculation


async def positions_by_key(
    session: AsyncSession, *, exam_id: uuid.UUID, calculation_id: uuid.UUID
) -> dict[tuple[str, str], list[str]]:
    """The exam's calculation as (position, department) → factor codes; 422 when it is not the exam's."""
    calculation = await CalculationRepository(session).get(calculation_id)
    if calculation is None or calculation.exam_id != exam_id:
        raise ValidationFailed.field("mapping.calculation_id", "is not a calculation of this exam")
    positions = await CalculationRepository(session).positions(calculation_id)
    return {position_key(p.position, p.department): list(p.harmful_factor_codes or []) for p in positions}


async def add_employees(
    session: AsyncSession,
    *,
    calculation_id: uuid.UUID,
    data: CalculationEmployees,
    patients: PatientsClient,
    principal: Principal,
    phone_region: str,
    scope: OrganizationScope,
) -> list[Employee]:
    """Add patients on the calculation's positions: factors come from the line, headcounts hold."""
    calculation = await get_calculation(session, calculation_id=calculation_id, scope=scope)
    # Every new card's phone is checked before the first card is made (422 naming the employee).
    bodies = [
        exam_service.with_clean_phone(e, region=phone_region, field_prefix=f"employees.{i}.")
        for i, e in enumerate(data.employees)
    ]
    positions = await CalculationRepository(session).positions(calculation.id)
    lines = {position_key(p.position, p.department): p for p in positions}
    taken = await EmployeeRepository(session).count_by_position(calculation.exam_id, calculation.id)
    counts = {position_key(p, d): n for (p, d), n in taken.items()}
    chosen: list[CalculationPosition] = []
    for index, employee in enumerate(data.employees):
        line = lines.get(position_key(employee.position, employee.department)) or lines.get(
            position_key(employee.position, None)
        )
        if line is None:
            raise ValidationFailed.field(f"employees.{index}.position", "is not a position of the calculation")
        key = position_key(line.position, line.department)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > line.headcount:
            raise Conflict(
                f"The calculation plans {line.headcount} employee(s) as {line.position!r}; this would make {counts[key]}.",
                code="headcount-exceeded",
                conflicts=[{"calculation_id": str(calculation.id), "line": line.line, "headcount": line.headcount}],
            )
        chosen.append(line)
    added = []
    exam = await exam_service.get_exam(session, exam_id=calculation.exam_id, scope=EVERY_ORGANIZATION)
    for index, (body, line) in enumerate(zip(bodies, chosen, strict=True)):
        extra = await factor_service.resolve_codes(
            session,
            organization_id=exam.organization_id,
            codes=body.harmful_factor_codes,
            field=f"employees.{index}.harmful_factor_codes",
        )
        codes = list(line.harmful_factor_codes or [])
        codes += [c for c in extra if c not in codes]
        body = body.model_copy(update={"position": line.position, "department": line.department})
        added.append(
            await exam_service.add_employee(
                session,
                exam_id=calculation.exam_id,
                data=body,
                patients=patients,
                principal=principal,
                phone_region=phone_region,
                scope=scope,
                source="calculation",
                calculation_id=calculation.id,
                factor_codes=codes,
            )
        )
    return added
