"""/harmful-factors and /organizations/{id}/factor-mappings (PRO-4)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from profexam.deps import DirectoryEditor, Reader, ScopeDep
from profexam.factors import service
from profexam.factors.schemas import FactorMappingCreate, FactorMappingRead, HarmfulFactorRead, Section

router = APIRouter(tags=["harmful factors"])


@router.get("/harmful-factors")
async def list_harmful_factors(
    session: SessionDep,
    _: Reader,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="code prefix or words of the title")] = None,
    section: Section | None = None,
    parent_code: Annotated[str | None, Query(max_length=20, description="children of this code")] = None,
) -> Page[HarmfulFactorRead]:
    """The harmful factor dictionary of Order 29n."""
    items, total = await service.search_factors(
        session, q=q, section=section, parent_code=parent_code, limit=page.limit, offset=page.offset
    )
    return Page(items=[HarmfulFactorRead.model_validate(f) for f in items], total=total)


@router.get("/organizations/{organization_id}/factor-mappings")
async def list_factor_mappings(
    organization_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep
) -> Page[FactorMappingRead]:
    """The organisation's own codes and the dictionary codes they mean."""
    items = [
        FactorMappingRead.model_validate(m)
        for m in await service.list_mappings(session, organization_id=organization_id, scope=scope)
    ]
    return Page(items=items, total=len(items))


@router.post("/organizations/{organization_id}/factor-mappings", status_code=status.HTTP_201_CREATED)
async def create_factor_mapping(
    organization_id: uuid.UUID,
    data: FactorMappingCreate,
    session: SessionDep,
    _: DirectoryEditor,
    scope: ScopeDep,
    response: Response,
) -> FactorMappingRead:
    """Map an unknown code from the organisation's files; later imports apply it. The `ETag` is
    the version to send in `If-Match` when forgetting it (a mapping never changes)."""
    mapping = await service.create_mapping(session, organization_id=organization_id, data=data, scope=scope)
    set_etag(response, service.mapping_version(mapping))
    return FactorMappingRead.model_validate(mapping)


@router.delete("/organizations/{organization_id}/factor-mappings/{mapping_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_factor_mapping(
    organization_id: uuid.UUID,
    mapping_id: uuid.UUID,
    session: SessionDep,
    principal: DirectoryEditor,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> Response:
    """Forget a mapping; 412 when `If-Match` names another version (the `ETag` its creation answered)."""
    await service.delete_mapping(
        session,
        organization_id=organization_id,
        mapping_id=mapping_id,
        scope=scope,
        principal=principal,
        if_match=if_match,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
