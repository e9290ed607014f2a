"""Lab tests directory (LAB-2). Deleting a test archives it: orders and links keep it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, ValidationFailed
from lab.lab_tests.models import LabTest
from lab.lab_tests.repository import LabTestRepository
from lab.lab_tests.rules import LIMIT_FIELDS, limit_errors
from lab.lab_tests.schemas import LabTestCreate, LabTestUpdate
from lab.labs import service as labs_service
from lab.text import search_key


def test_search_key(code: str, name: str) -> str:
    """What `q` is matched against: code and name, lower-cased."""
    return search_key(f"{code} {name}")


async def get_test(session: AsyncSession, *, test_id: uuid.UUID, for_update: bool = False) -> LabTest:
    """A test by id; 404 when there is none."""
    test = await LabTestRepository(session).get(test_id, for_update=for_update)
    if test is None:
        raise NotFound(f"Lab test {test_id} not found.")
    return test


async def list_tests(
    session: AsyncSession,
    *,
    q: str | None,
    lab_id: uuid.UUID | None,
    study_type: str | None,
    container_type: str | None,
    include_inactive: bool,
    limit: int,
    offset: int,
) -> tuple[Sequence[LabTest], int]:
    """Tests whose code or name contain every word of `q`, by name."""
    return await LabTestRepository(session).search(
        words=search_key(q).split(),
        lab_id=lab_id,
        study_type=study_type,
        container_type=container_type,
        include_inactive=include_inactive,
        limit=limit,
        offset=offset,
    )


def _check_limits(values: dict[str, Any]) -> None:
    errors = limit_errors(values)
    if errors:
        raise ValidationFailed(
            "; ".join(f"{field}: {message}" for field, message in errors),
            errors=[{"field": field, "code": "limits_out_of_order", "message": message} for field, message in errors],
        )


async def _refuse_taken_code(
    repository: LabTestRepository, lab_id: uuid.UUID, code: str, own: uuid.UUID | None
) -> None:
    existing = await repository.by_code(lab_id, code)
    if existing is not None and existing.id != own:
        raise Conflict(
            f"Test code {code!r} is taken in this laboratory.",
            code="test-code-taken",
            conflicts=[{"test_id": str(existing.id)}],
        )


async def create_test(session: AsyncSession, *, data: LabTestCreate) -> LabTest:
    """Add a test to a lab; its code is unique in the lab."""
    lab = await labs_service.get_lab(session, lab_id=data.lab_id)
    _check_limits(data.model_dump())
    repository = LabTestRepository(session)
    await _refuse_taken_code(repository, lab.id, data.code, None)
    values = data.model_dump()
    test = LabTest(id=uuid.uuid4(), search_key=test_search_key(data.code, data.name), **values)
    return await repository.add(test)


async def update_test(
    session: AsyncSession,
    *,
    test_id: uuid.UUID,
    data: LabTestUpdate,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> LabTest:
    """Change the fields sent (of the version `if_match` names, 412 otherwise); limits stay
    ordered and the code unique in the lab."""
    repository = LabTestRepository(session)
    test = await get_test(session, test_id=test_id, for_update=True)
    check_if_match(if_match, test, principal)
    fields = data.model_dump(exclude_unset=True)
    for required in ("code", "name", "container_type", "active"):
        if required in fields and fields[required] is None:
            raise ValidationFailed.field(required, "must not be null", "null_not_allowed")
    limits = {name: fields.get(name, getattr(test, name)) for name in LIMIT_FIELDS}
    _check_limits(limits)
    if "code" in fields:
        await _refuse_taken_code(repository, test.lab_id, fields["code"], test.id)
    for name, value in fields.items():
        setattr(test, name, value)
    test.search_key = test_search_key(test.code, test.name)
    test.updated_at = utcnow()
    await session.flush()
    return test


async def archive_test(
    session: AsyncSession, *, test_id: uuid.UUID, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Hide a test from lists and new orders; orders and links keep it."""
    test = await get_test(session, test_id=test_id, for_update=True)
    check_if_match(if_match, test, principal)
    test.active = False
    test.updated_at = utcnow()
    await session.flush()
