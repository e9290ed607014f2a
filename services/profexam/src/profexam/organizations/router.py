"""/organizations and /organizations/{id}/contracts (PRO-1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from profexam.deps import Reader, ScopeDep, Writer
from profexam.organizations import service
from profexam.organizations.schemas import (
    ContractCreate,
    ContractRead,
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
)

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("")
async def list_organizations(
    session: SessionDep,
    _: Reader,
    scope: ScopeDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the name")] = None,
) -> Page[OrganizationRead]:
    """Organisations by name (a user limited to chosen organisations sees only those)."""
    items, total = await service.list_organizations(session, q=q, limit=page.limit, offset=page.offset, scope=scope)
    return Page(items=[OrganizationRead.model_validate(o) for o in items], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_organization(
    data: OrganizationCreate, session: SessionDep, _: Writer, scope: ScopeDep
) -> OrganizationRead:
    """Add an organisation (not for a user limited to chosen organisations: 403)."""
    return OrganizationRead.model_validate(await service.create_organization(session, data=data, scope=scope))


@router.get("/{organization_id}")
async def get_organization(
    organization_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep, response: Response
) -> OrganizationRead:
    """One organisation, its version in `ETag`."""
    organization = await service.get_organization(session, organization_id=organization_id, scope=scope)
    set_etag(response, organization)
    return OrganizationRead.model_validate(organization)


@router.patch("/{organization_id}")
async def update_organization(
    organization_id: uuid.UUID,
    data: OrganizationUpdate,
    session: SessionDep,
    principal: Writer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrganizationRead:
    """Change some fields of an organisation; 412 when `If-Match` names another version."""
    organization = await service.update_organization(
        session, organization_id=organization_id, data=data, scope=scope, principal=principal, if_match=if_match
    )
    set_etag(response, organization)
    return OrganizationRead.model_validate(organization)


@router.delete("/{organization_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_organization(
    organization_id: uuid.UUID, session: SessionDep, principal: Writer, scope: ScopeDep, if_match: IfMatch = None
) -> Response:
    """Delete an organisation that has no exams (409 otherwise); 412 when `If-Match` names another version."""
    await service.delete_organization(
        session, organization_id=organization_id, scope=scope, principal=principal, if_match=if_match
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{organization_id}/contracts")
async def list_contracts(
    organization_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep, page: PageDep
) -> Page[ContractRead]:
    """An organisation's contracts, newest first."""
    items, total = await service.list_contracts(
        session, organization_id=organization_id, limit=page.limit, offset=page.offset, scope=scope
    )
    return Page(items=[ContractRead.model_validate(c) for c in items], total=total)


@router.post("/{organization_id}/contracts", status_code=status.HTTP_201_CREATED)
async def create_contract(
    organization_id: uuid.UUID, data: ContractCreate, session: SessionDep, _: Writer, scope: ScopeDep
) -> ContractRead:
    """Add a contract; valid_to must not be before valid_from."""
    contract = await service.create_contract(session, organization_id=organization_id, data=data, scope=scope)
    return ContractRead.model_validate(contract)
