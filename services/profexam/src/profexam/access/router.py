"""/access: which organisations each user may see (PRO-8, «Права пользователей. Профосмотр»)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from profexam.access import service
from profexam.access.schemas import AccessRead, AccessUpdate, MyAccess
from profexam.deps import AccessManager, Reader, ScopeDep

router = APIRouter(prefix="/access", tags=["access"])


@router.get("/me")
async def get_my_access(_: Reader, scope: ScopeDep) -> MyAccess:
    """The caller's own limitation (what the organisation list will show them)."""
    ids = None if scope.organization_ids is None else sorted(scope.organization_ids, key=str)
    return MyAccess(limited=scope.limited, organization_ids=ids)


@router.get("")
async def list_access(session: SessionDep, _: AccessManager, scope: ScopeDep, page: PageDep) -> Page[AccessRead]:
    """Users limited to chosen organisations; a user not listed sees every organisation."""
    service.check_manager(scope)
    items, total = await service.list_entries(session, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total)


@router.get("/{user_id}")
async def get_access(
    user_id: uuid.UUID, session: SessionDep, _: AccessManager, scope: ScopeDep, response: Response
) -> AccessRead:
    """One user's organisations (their version in `ETag`); 404 when the user is not limited."""
    service.check_manager(scope)
    entry = await service.get_entry(session, user_id=user_id)
    set_etag(response, entry)
    return entry


@router.put("/{user_id}")
async def put_access(
    user_id: uuid.UUID,
    data: AccessUpdate,
    session: SessionDep,
    principal: AccessManager,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> AccessRead:
    """Limit a user (the gateway's user id) to these organisations; takes effect on their next request.

    412 when `If-Match` names another version of the user's entry (or one deleted since)."""
    service.check_manager(scope)
    entry = await service.put_entry(session, user_id=user_id, data=data, principal=principal, if_match=if_match)
    set_etag(response, entry)
    return entry


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_access(
    user_id: uuid.UUID, session: SessionDep, principal: AccessManager, scope: ScopeDep, if_match: IfMatch = None
) -> Response:
    """Lift a user's limitation: they see every organisation again. 412 when `If-Match` names another version."""
    service.check_manager(scope)
    await service.delete_entry(session, user_id=user_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
