"""Staff setup of online booking (SCH-13): /online/links, /online/settings, /online/api-keys."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from scheduling.deps import DirectoryEditor, Reader, SettingsEditor
from scheduling.online import service
from scheduling.online.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    LinkCreate,
    LinkRead,
    LinkUpdate,
    OnlineSettingsRead,
    OnlineSettingsUpdate,
)

router = APIRouter(prefix="/online", tags=["online booking setup"])


@router.get("/links")
async def list_links(
    session: SessionDep,
    _: Reader,
    page: PageDep,
    doctor_id: Annotated[uuid.UUID | None, Query()] = None,
    service_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[LinkRead]:
    """Doctor↔service links, optionally of one doctor or service."""
    rows, total = await service.list_links(
        session, doctor_id=doctor_id, service_id=service_id, limit=page.limit, offset=page.offset
    )
    return Page(items=[LinkRead.model_validate(r) for r in rows], total=total)


@router.post("/links", status_code=status.HTTP_201_CREATED)
async def create_link(data: LinkCreate, session: SessionDep, _: DirectoryEditor) -> LinkRead:
    """Offer a doctor's service online with its price and prepayment; 409 when already linked."""
    return LinkRead.model_validate(await service.create_link(session, data))


@router.get("/links/{link_id}")
async def get_link(link_id: uuid.UUID, session: SessionDep, _: Reader, response: Response) -> LinkRead:
    """One link, with its `ETag`."""
    link = await service.get_link(session, link_id)
    set_etag(response, link)
    return LinkRead.model_validate(link)


@router.patch("/links/{link_id}")
async def update_link(
    link_id: uuid.UUID,
    data: LinkUpdate,
    session: SessionDep,
    principal: DirectoryEditor,
    response: Response,
    if_match: IfMatch = None,
) -> LinkRead:
    """Change a link's settings (validated as a whole); `If-Match` honoured (412), not required."""
    link = await service.update_link(session, link_id, data, principal=principal, if_match=if_match)
    set_etag(response, link)
    return LinkRead.model_validate(link)


@router.delete("/links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_link(
    link_id: uuid.UUID, session: SessionDep, principal: DirectoryEditor, if_match: IfMatch = None
) -> Response:
    """Stop offering the service online with this doctor (idempotent); `If-Match` honoured (412)."""
    await service.delete_link(session, link_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _settings_read(session: SessionDep) -> OnlineSettingsRead:
    row = await service.settings_row(session)
    keys = [ApiKeyRead.model_validate(k) for k in await service.list_api_keys(session)]
    return OnlineSettingsRead(general_discount_percent=row.general_discount_percent, api_keys=keys)


@router.get("/settings")
async def get_settings(session: SessionDep, _: SettingsEditor, response: Response) -> OnlineSettingsRead:
    """The general discount and the widget's API keys (ids and labels only); the `ETag` is the
    discount's version, what PUT's `If-Match` names."""
    set_etag(response, await service.settings_row(session))
    return await _settings_read(session)


@router.put("/settings")
async def put_settings(
    data: OnlineSettingsUpdate,
    session: SessionDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> OnlineSettingsRead:
    """Set the general discount (%), applied to every link's price at once; `If-Match` required (412 / 428)."""
    set_etag(response, await service.update_settings(session, data, principal, if_match=if_match))
    return await _settings_read(session)


@router.post("/api-keys", status_code=status.HTTP_201_CREATED)
async def create_api_key(
    data: ApiKeyCreate, session: SessionDep, principal: SettingsEditor, response: Response
) -> ApiKeyCreated:
    """A new key for the website widget: the key is in this answer only (we keep its hash). The
    `ETag` is the version to send in `If-Match` when revoking it (a key never changes)."""
    row, key = await service.create_api_key(session, data, principal)
    set_etag(response, service.api_key_version(row))
    return ApiKeyCreated(**ApiKeyRead.model_validate(row).model_dump(), key=key)


@router.get("/api-keys")
async def list_api_keys(session: SessionDep, _: SettingsEditor) -> Page[ApiKeyRead]:
    """The widget's keys: ids, labels and first characters, never the keys."""
    rows = await service.list_api_keys(session)
    return Page(items=[ApiKeyRead.model_validate(r) for r in rows], total=len(rows))


@router.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_api_key(
    key_id: uuid.UUID, session: SessionDep, principal: SettingsEditor, if_match: IfMatch = None
) -> Response:
    """Revoke a key: the widget using it gets 401 from now on. 412 when `If-Match` names another
    version (the `ETag` its creation answered)."""
    await service.revoke_api_key(session, key_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
