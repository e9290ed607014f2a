"""/test-service-links and /tests/{id}/services (LAB-3)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from lab import rights
from lab.deps import AuthorizationDep, DirectoryEditor
from lab.links import service
from lab.links.schemas import BulkLinkCreate, LinkCreate, LinkRead, TestServicesCreate

router = APIRouter(tags=["test-service-links"])


@router.get("/test-service-links", dependencies=[require(rights.READ)])
async def list_links(
    session: SessionDep,
    page: PageDep,
    test_id: uuid.UUID | None = None,
    service_id: uuid.UUID | None = None,
    lab_id: uuid.UUID | None = None,
) -> Page[LinkRead]:
    """Links between lab tests and price-list services."""
    items, total = await service.list_links(
        session, test_id=test_id, service_id=service_id, lab_id=lab_id, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total)


@router.post("/test-service-links", status_code=status.HTTP_201_CREATED)
async def create_link(
    data: LinkCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: DirectoryEditor,
    authorization: AuthorizationDep,
    response: Response,
) -> LinkRead:
    """Link a test to a price-list service (checked with scheduling when it is reachable)."""
    link = await service.create_link(
        session,
        runtime=runtime,
        authorization=authorization,
        principal=principal,
        test_id=data.test_id,
        service_id=data.service_id,
    )
    response.headers["ETag"] = service.link_etag(link)
    return link


@router.post("/test-service-links/bulk")
async def link_in_bulk(
    data: BulkLinkCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: DirectoryEditor,
    authorization: AuthorizationDep,
) -> Page[LinkRead]:
    """Pick a test, tick services: links every listed service; answers the test's links."""
    items, total = await service.link_services(
        session,
        runtime=runtime,
        authorization=authorization,
        principal=principal,
        test_id=data.test_id,
        service_ids=data.service_ids,
        replace=data.replace,
    )
    return Page(items=items, total=total)


@router.post("/tests/{test_id}/services", tags=["tests"])
async def add_services_to_test(
    test_id: uuid.UUID,
    data: TestServicesCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: DirectoryEditor,
    authorization: AuthorizationDep,
) -> Page[LinkRead]:
    """Add price-list services to one test; answers the test's links."""
    items, total = await service.link_services(
        session,
        runtime=runtime,
        authorization=authorization,
        principal=principal,
        test_id=test_id,
        service_ids=data.service_ids,
        replace=data.replace,
    )
    return Page(items=items, total=total)


@router.delete("/test-service-links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_link(
    link_id: uuid.UUID, session: SessionDep, principal: DirectoryEditor, if_match: IfMatch = None
) -> Response:
    """Remove a link; 412 when `If-Match` names another link version (a link never changes: its
    `ETag` is the one its creation answered)."""
    await service.delete_link(session, link_id=link_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
