"""Organisations and contracts: create, read, change, delete (PRO-1)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, Forbidden, NotFound
from clinic_shared.logging import get_logger
from profexam.names import fold
from profexam.organizations.models import Contract, Organization
from profexam.organizations.repository import ContractRepository, OrganizationRepository
from profexam.organizations.schemas import ContractCreate, OrganizationCreate, OrganizationUpdate
from profexam.scope import OrganizationScope

log = get_logger(__name__)


async def get_organization(
    session: AsyncSession, *, organization_id: uuid.UUID, scope: OrganizationScope, for_update: bool = False
) -> Organization:
    """An organisation the caller may see; 404 when there is none or it is outside their scope (PRO-8)."""
    repository = OrganizationRepository(session)
    allowed = scope.allows(organization_id)
    organization = await repository.get(organization_id, for_update=for_update) if allowed else None
    if organization is None:
        raise NotFound(f"Organisation {organization_id} not found.")
    return organization


async def list_organizations(
    session: AsyncSession, *, q: str | None, limit: int, offset: int, scope: OrganizationScope
) -> tuple[Sequence[Organization], int]:
    """Organisations by name; `q` matches any part of the name; a limited user sees only theirs."""
    return await OrganizationRepository(session).search(
        q=fold(q) or None, only=scope.organization_ids, limit=limit, offset=offset
    )


async def create_organization(
    session: AsyncSession, *, data: OrganizationCreate, scope: OrganizationScope
) -> Organization:
    """Add an organisation; a user limited to chosen organisations may not (they would not see it)."""
    if scope.limited:
        raise Forbidden(
            "A user limited to chosen organisations cannot add organisations.", code="organization-scope-limited"
        )
    organization = Organization(id=uuid.uuid4(), name_norm=fold(data.name), **data.model_dump())
    await OrganizationRepository(session).add(organization)
    log.info("profexam.organization.created", organization_id=str(organization.id))
    return organization


async def update_organization(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    data: OrganizationUpdate,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> Organization:
    """Change the fields sent (of the version `if_match` names: 412 otherwise)."""
    organization = await get_organization(session, organization_id=organization_id, scope=scope, for_update=True)
    check_if_match(if_match, organization, principal)
    for name, value in data.model_dump(exclude_unset=True).items():
        if name == "name" and value is None:
            continue  # the name cannot be cleared
        setattr(organization, name, value)
    organization.name_norm = fold(organization.name)
    organization.updated_at = utcnow()
    await session.flush()
    return organization


async def delete_organization(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    scope: OrganizationScope,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> None:
    """Delete an organisation with its contracts, price lists and mappings; 409 while it has exams."""
    repository = OrganizationRepository(session)
    organization = await get_organization(session, organization_id=organization_id, scope=scope, for_update=True)
    check_if_match(if_match, organization, principal)
    exams = await repository.count_exams(organization_id)
    if exams:
        raise Conflict(
            f"The organisation has {exams} exam(s); it cannot be deleted.",
            code="organization-has-exams",
            conflicts=[{"resource": "exams", "organization_id": str(organization_id), "count": exams}],
        )
    await repository.delete(organization)
    log.info("profexam.organization.deleted", organization_id=str(organization_id))


async def list_contracts(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    limit: int,
    offset: int,
    scope: OrganizationScope,
) -> tuple[Sequence[Contract], int]:
    """An organisation's contracts, newest first."""
    await get_organization(session, organization_id=organization_id, scope=scope)
    return await ContractRepository(session).of_organization(organization_id, limit=limit, offset=offset)


async def get_contract(session: AsyncSession, *, contract_id: uuid.UUID, scope: OrganizationScope) -> Contract:
    """A contract of an organisation the caller may see; 404 otherwise."""
    contract = await ContractRepository(session).get(contract_id)
    if contract is None or not scope.allows(contract.organization_id):
        raise NotFound(f"Contract {contract_id} not found.")
    return contract


async def create_contract(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    data: ContractCreate,
    scope: OrganizationScope,
) -> Contract:
    """Add a contract to an organisation."""
    await get_organization(session, organization_id=organization_id, scope=scope)
    contract = Contract(id=uuid.uuid4(), organization_id=organization_id, **data.model_dump())
    await ContractRepository(session).add(contract)
    log.info("profexam.contract.created", contract_id=str(contract.id), organization_id=str(organization_id))
    return contract


def expired_contract(contracts: Sequence[Contract], *, chosen: uuid.UUID | None, today: date) -> Contract | None:
    """The contract that makes an import impossible today, or None (PRO-3).

    An exam bound to a contract needs that contract not to have ended; an exam without one
    needs its organisation to have some contract still running, when it has contracts at all.
    """
    if chosen is not None:
        contract = next((c for c in contracts if c.id == chosen), None)
        return contract if contract is not None and contract.valid_to < today else None
    if not contracts or any(c.valid_to >= today for c in contracts):
        return None
    return max(contracts, key=lambda c: c.valid_to)
