"""External labs directory (LAB-2). Deleting a lab archives it: orders keep pointing at it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound
from clinic_shared.outbound import check_setting
from lab.labs.models import ExternalLab
from lab.labs.repository import LabRepository
from lab.labs.schemas import LabCreate, LabUpdate


async def get_lab(session: AsyncSession, *, lab_id: uuid.UUID, for_update: bool = False) -> ExternalLab:
    """A lab by id; 404 when there is none."""
    lab = await LabRepository(session).get(lab_id, for_update=for_update)
    if lab is None:
        raise NotFound(f"Laboratory {lab_id} not found.")
    return lab


async def list_labs(
    session: AsyncSession, *, include_inactive: bool, limit: int, offset: int
) -> tuple[Sequence[ExternalLab], int]:
    """Labs by name; archived ones only when asked."""
    return await LabRepository(session).search(include_inactive=include_inactive, limit=limit, offset=offset)


async def _check_exchange_url(url: object, *, allow_private: bool) -> None:
    """The exchange worker calls this URL on its own: a loopback, private or link-local address
    (or a name resolving to one) is refused unless the operator allows private targets."""
    await check_setting("exchange_url", str(url) if url else None, allow_private=allow_private)


async def _refuse_taken_code(repository: LabRepository, code: str, own_id: uuid.UUID | None) -> None:
    existing = await repository.by_code(code)
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"Laboratory code {code!r} is taken.", code="lab-code-taken", conflicts=[{"lab_id": str(existing.id)}]
        )


async def create_lab(session: AsyncSession, *, data: LabCreate, allow_private: bool = False) -> ExternalLab:
    """Add a lab; its code is unique, its exchange URL one the outbound policy allows (422 otherwise)."""
    await _check_exchange_url(data.exchange_url, allow_private=allow_private)
    repository = LabRepository(session)
    await _refuse_taken_code(repository, data.code, None)
    lab = ExternalLab(
        id=uuid.uuid4(),
        name=data.name,
        code=data.code,
        exchange_url=str(data.exchange_url) if data.exchange_url else None,
        active=data.active,
    )
    return await repository.add(lab)


async def update_lab(
    session: AsyncSession,
    *,
    lab_id: uuid.UUID,
    data: LabUpdate,
    allow_private: bool = False,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> ExternalLab:
    """Change the fields sent (of the version `if_match` names, 412 otherwise); an exchange URL
    the outbound policy refuses is 422."""
    await _check_exchange_url(data.exchange_url, allow_private=allow_private)
    repository = LabRepository(session)
    lab = await get_lab(session, lab_id=lab_id, for_update=True)
    check_if_match(if_match, lab, principal)
    fields = data.model_dump(exclude_unset=True)
    if fields.get("code") is not None:
        await _refuse_taken_code(repository, fields["code"], lab.id)
        lab.code = fields["code"]
    if fields.get("name") is not None:
        lab.name = fields["name"]
    if "exchange_url" in fields:
        lab.exchange_url = str(data.exchange_url) if data.exchange_url else None
    if fields.get("active") is not None:
        lab.active = fields["active"]
    lab.updated_at = utcnow()
    await session.flush()
    return lab


async def archive_lab(
    session: AsyncSession, *, lab_id: uuid.UUID, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Hide a lab from lists and new orders; its orders and tests stay."""
    lab = await get_lab(session, lab_id=lab_id, for_update=True)
    check_if_match(if_match, lab, principal)
    lab.active = False
    lab.updated_at = utcnow()
    await session.flush()
