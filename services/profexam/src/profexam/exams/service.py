"""Exams and their employees: create, read, change; add by hand or from a card (PRO-1, PRO-2)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import ClinicError, Conflict, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from profexam.exams.models import Employee, Exam
from profexam.exams.repository import EmployeeRepository, ExamRepository
from profexam.exams.schemas import EmployeeCreate, ExamCreate, ExamUpdate
from profexam.factors import service as factor_service
from profexam.organizations import service as organization_service
from profexam.organizations.repository import ContractRepository
from profexam.patients_client import NewCard, PatientsClient
from profexam.phones import clean_phone
from profexam.scope import OrganizationScope

log = get_logger(__name__)


async def get_exam(
    session: AsyncSession, *, exam_id: uuid.UUID, scope: OrganizationScope, for_update: bool = False
) -> Exam:
    """An exam of an organisation the caller may see; 404 when there is none or it is outside their scope."""
    exam = await ExamRepository(session).get(exam_id, for_update=for_update)
    if exam is None or not scope.allows(exam.organization_id):
        raise NotFound(f"Exam {exam_id} not found.")
    return exam


async def _check_contract(session: AsyncSession, organization_id: uuid.UUID, contract_id: uuid.UUID | None) -> None:
    if contract_id is None:
        return
    contract = await ContractRepository(session).get(contract_id)
    if contract is None or contract.organization_id != organization_id:
        raise ValidationFailed.field("contract_id", "is not a contract of the exam's organisation", "unknown_contract")


async def list_exams(
    session: AsyncSession, *, organization_id: uuid.UUID | None, limit: int, offset: int, scope: OrganizationScope
) -> tuple[Sequence[Exam], int]:
    """Exams, latest period first; a limited user sees only their organisations' exams."""
    return await ExamRepository(session).search(
        organization_id=organization_id, only=scope.organization_ids, limit=limit, offset=offset
    )


async def create_exam(session: AsyncSession, *, data: ExamCreate, scope: OrganizationScope) -> Exam:
    """Add an exam of an organisation, optionally under one of its contracts.

    An organisation outside the caller's scope is answered like one that does not exist.
    """
    try:
        await organization_service.get_organization(session, organization_id=data.organization_id, scope=scope)
    except NotFound as exc:
        raise ValidationFailed.field("organization_id", "no such organisation", "unknown_organization") from exc
    await _check_contract(session, data.organization_id, data.contract_id)
    exam = Exam(id=uuid.uuid4(), **data.model_dump())
    await ExamRepository(session).add(exam)
    log.info("profexam.exam.created", exam_id=str(exam.id), organization_id=str(exam.organization_id))
    return exam


async def update_exam(
    session: AsyncSession,
    *,
    exam_id: uuid.UUID,
    data: ExamUpdate,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> Exam:
    """Change the fields sent (of the version `if_match` names: 412 otherwise); the period must
    stay in order and the contract the organisation's."""
    exam = await get_exam(session, exam_id=exam_id, scope=scope, for_update=True)
    check_if_match(if_match, exam, principal)
    sent = data.model_dump(exclude_unset=True)
    for name in ("name", "period_from", "period_to"):
        if name in sent and sent[name] is None:
            raise ValidationFailed.field(name, "must not be empty")
    period_from = sent.get("period_from", exam.period_from)
    period_to = sent.get("period_to", exam.period_to)
    if period_to < period_from:
        raise ValidationFailed.field("period_to", "must not be before period_from", "period_out_of_order")
    if "contract_id" in sent:
        await _check_contract(session, exam.organization_id, sent["contract_id"])
    for name, value in sent.items():
        setattr(exam, name, value)
    exam.updated_at = utcnow()
    await session.flush()
    return exam


async def list_employees(
    session: AsyncSession, *, exam_id: uuid.UUID, q: str | None, limit: int, offset: int, scope: OrganizationScope
) -> tuple[Sequence[Employee], int]:
    """The exam's employees by name."""
    await get_exam(session, exam_id=exam_id, scope=scope)
    return await EmployeeRepository(session).of_exam(exam_id, q=q, limit=limit, offset=offset)


def with_clean_phone(data: EmployeeCreate, *, region: str, field_prefix: str = "") -> EmployeeCreate:
    """The body with the new card's phone normalised as patients does it; 422 on `patient.mobile_phone`."""
    if data.patient is None or data.patient.mobile_phone is None:
        return data
    phone = clean_phone(data.patient.mobile_phone, region=region, field=f"{field_prefix}patient.mobile_phone")
    # With its '+', the normalised number reads the same again whatever the region.
    clean = f"+{phone}" if phone else None
    return data.model_copy(update={"patient": data.patient.model_copy(update={"mobile_phone": clean})})


async def add_employee(
    session: AsyncSession,
    *,
    exam_id: uuid.UUID,
    data: EmployeeCreate,
    patients: PatientsClient,
    principal: Principal,
    phone_region: str,
    scope: OrganizationScope,
    source: str = "manual",
    calculation_id: uuid.UUID | None = None,
    factor_codes: list[str] | None = None,
) -> Employee:
    """Add an employee from a card, or from a new card made in patients; 409 when already listed."""
    exam = await get_exam(session, exam_id=exam_id, scope=scope)
    data = with_clean_phone(data, region=phone_region)
    codes = factor_codes
    if codes is None:
        codes = await factor_service.resolve_codes(
            session, organization_id=exam.organization_id, codes=data.harmful_factor_codes, field="harmful_factor_codes"
        )
    if data.patient is not None:
        card = await _card_for_new_patient(patients, data)
    else:
        assert data.patient_id is not None
        card = await _existing_card(patients, data.patient_id)
        if source == "manual":
            source = "card"
    repository = EmployeeRepository(session)
    existing = await repository.find(exam.id, card["id"])
    if existing is not None:
        raise _already_listed(existing)
    employee = Employee(
        id=uuid.uuid4(),
        exam_id=exam.id,
        patient_id=card["id"],
        last_name=card["last_name"],
        first_name=card["first_name"],
        middle_name=card.get("middle_name"),
        birth_date=card.get("birth_date"),
        sex=card.get("sex"),
        phone=card.get("mobile_phone"),
        card_number=card.get("card_number"),
        position=data.position,
        department=data.department,
        exam_type=data.exam_type,
        working_conditions=data.working_conditions,
        harmful_factor_codes=codes,
        source=source,
        calculation_id=calculation_id,
        patient_version=card.get("version", 0),
        created_at=utcnow(),
        created_by=principal.user_id,
    )
    try:
        async with session.begin_nested():
            await repository.add(employee)
    except IntegrityError as exc:
        existing = await repository.find(exam.id, card["id"])
        raise _already_listed(existing) from exc
    log.info("profexam.employee.added", exam_id=str(exam.id), employee_id=str(employee.id), source=source)
    return employee


def _already_listed(existing: Employee | None) -> Conflict:
    conflicts = [{"employee_id": str(existing.id), "patient_id": str(existing.patient_id)}] if existing else []
    return Conflict("This patient is already in the exam.", code="employee-already-listed", conflicts=conflicts)


async def _card_for_new_patient(patients: PatientsClient, data: EmployeeCreate) -> dict[str, Any]:
    assert data.patient is not None
    new = data.patient
    card = NewCard(new.last_name, new.first_name, new.middle_name, new.birth_date, new.sex, new.mobile_phone)
    resolution = await patients.resolve([card], create=True, drop_failed=False)
    if 0 in resolution.errors:
        errors = [{"field": f"patient.{e['field']}".rstrip("."), "message": e["message"]} for e in resolution.errors[0]]
        raise ValidationFailed("The patients service refused the card.", errors=errors)
    found = await patients.get_card(resolution.ids[0])
    if found is None:
        raise NotFound("The card was not found in patients right after it was made.")
    return _card_values(found)


async def _existing_card(patients: PatientsClient, patient_id: uuid.UUID) -> dict[str, Any]:
    found = await patients.get_card(patient_id)
    if found is None:
        raise ValidationFailed.field("patient_id", "no such patient card", "unknown_patient")
    if found.get("deleted"):
        raise ValidationFailed.field("patient_id", "the card is deleted; restore it first", "patient_deleted")
    return _card_values(found)


def _card_values(card: dict[str, Any]) -> dict[str, Any]:
    values = dict(card)
    values["id"] = uuid.UUID(card["id"])
    values["birth_date"] = date.fromisoformat(card["birth_date"]) if card.get("birth_date") else None
    return values


async def remove_employee(
    session: AsyncSession,
    *,
    exam_id: uuid.UUID,
    employee_id: uuid.UUID,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> None:
    """Take an employee off the exam's list (the card stays in patients)."""
    await get_exam(session, exam_id=exam_id, scope=scope)
    repository = EmployeeRepository(session)
    employee = await repository.get(employee_id, for_update=True)
    if employee is None or employee.exam_id != exam_id:
        raise NotFound(f"Employee {employee_id} not found in exam {exam_id}.")
    check_if_match(if_match, employee, principal)
    await repository.delete(employee)
    log.info("profexam.employee.removed", exam_id=str(exam_id), employee_id=str(employee_id))


async def export_rows(
    session: AsyncSession, *, exam_id: uuid.UUID, patients: PatientsClient
) -> tuple[list[Employee], dict[uuid.UUID, str]]:
    """The exam's employees by name and the card numbers learnt now for rows that had none (PRO-6).

    Rows written before profexam kept card numbers, and rows of imports (whose `/cards/batch`
    answer carries ids only), have none: they are asked of patients once, as the calling user,
    and stored on every row of those cards. When patients refuses or is away, the export goes
    on with those cells empty (the next export asks again).
    """
    repository = EmployeeRepository(session)
    employees = [e async for e in repository.stream_exam(exam_id)]
    missing = list(dict.fromkeys(e.patient_id for e in employees if not e.card_number))
    if not missing:
        return employees, {}
    try:
        numbers = await patients.card_numbers(missing)
    except ClinicError as exc:
        log.warning(
            "profexam.export.card_numbers_unavailable", exam_id=str(exam_id), status=exc.status, cards=len(missing)
        )
        return employees, {}
    await repository.set_card_numbers(numbers)
    log.info(
        "profexam.export.card_numbers_filled",
        exam_id=str(exam_id),
        cards=len(numbers),
        unknown=len(missing) - len(numbers),
    )
    return employees, numbers


async def apply_card_state(session: AsyncSession, *, patient_id: uuid.UUID, version: int, state: dict[str, Any]) -> int:
    """Refresh the name copies of a patient's employee rows from a newer card version."""
    values = {
        "last_name": state["last_name"],
        "first_name": state["first_name"],
        "middle_name": state.get("middle_name"),
        "birth_date": date.fromisoformat(state["birth_date"]) if state.get("birth_date") else None,
        "sex": state.get("sex"),
        "phone": state.get("mobile_phone"),
    }
    if state.get("card_number"):
        values["card_number"] = state["card_number"]
    return await EmployeeRepository(session).apply_card(patient_id, version, values)
