"""/mappings/{kind}/{our_id} (hand-made mapping to ONDOC items) and /sync (upload now) — OND-8."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from ondoc_bridge.deps import Mapper, OndocClientsDep, Reader, SettingsDep, Syncer
from ondoc_bridge.directories import service
from ondoc_bridge.directories.schemas import MappingKind, MappingRead, MappingWrite, SyncResult
from ondoc_bridge.errors import OndocRejected

router = APIRouter(tags=["directories"])


@router.get("/mappings/{kind}")
async def list_mappings(kind: MappingKind, session: SessionDep, principal: Reader, page: PageDep) -> Page[MappingRead]:
    """Our items of one directory mapped to ONDOC items."""
    items, total = await service.list_mappings(session, kind=kind, limit=page.limit, offset=page.offset)
    return Page(items=[MappingRead.model_validate(m) for m in items], total=total)


@router.get("/mappings/{kind}/{our_id}")
async def get_mapping(
    kind: MappingKind, our_id: uuid.UUID, session: SessionDep, principal: Reader, response: Response
) -> MappingRead:
    """The ONDOC item one of our items is mapped to; the `ETag` is the version to send in
    `If-Match` when changing or deleting the mapping."""
    mapping = await service.get_mapping(session, kind=kind, our_id=our_id)
    set_etag(response, mapping)
    return MappingRead.model_validate(mapping)


@router.put("/mappings/{kind}/{our_id}")
async def put_mapping(
    kind: MappingKind,
    our_id: uuid.UUID,
    data: MappingWrite,
    session: SessionDep,
    principal: Mapper,
    response: Response,
    if_match: IfMatch = None,
) -> MappingRead:
    """Map one of our items to an ONDOC item (replaces an earlier mapping of it). With
    `If-Match`, a mapping changed or deleted since is not replaced (412)."""
    mapping = await service.put_mapping(
        session, kind=kind, our_id=our_id, data=data, principal=principal, if_match=if_match
    )
    set_etag(response, mapping)
    return MappingRead.model_validate(mapping)


@router.delete("/mappings/{kind}/{our_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_mapping(
    kind: MappingKind, our_id: uuid.UUID, session: SessionDep, principal: Mapper, if_match: IfMatch = None
) -> Response:
    """Forget the mapping of one of our items. With `If-Match`, a mapping changed since is kept (412)."""
    await service.delete_mapping(session, kind=kind, our_id=our_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/sync")
async def upload_state(session: SessionDep, principal: Reader) -> SyncResult:
    """The last upload of each directory and of the free slots."""
    items = await service.uploads(session)
    return SyncResult(items=items, total=len(items))


@router.post("/sync")
async def sync_now(
    runtime: RuntimeDep, clients: OndocClientsDep, settings: SettingsDep, principal: Syncer
) -> SyncResult:
    """Upload doctors, specializations, services and free slots to ONDOC now ("sync now")."""
    items, failed = await service.sync_now(runtime, clients=clients, settings=settings)
    if failed:
        raise OndocRejected(
            "ONDOC did not accept: " + ", ".join(failed),
            uploads=[item.model_dump(mode="json") for item in items],
        )
    return SyncResult(items=items, total=len(items))
