"""/buildings, /departments, /cabinets, … : the same five routes for every directory (SCH-1)."""

# No `from __future__ import annotations` here: the routes are built in a loop and FastAPI
# must see each directory's own body and response classes, not their names as strings.

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from scheduling.deps import DirectoryEditor, Reader, SettingsDep
from scheduling.directories import service
from scheduling.directories.registry import DIRECTORIES, DirectorySpec


def directory_router(spec: DirectorySpec) -> APIRouter:
    """GET (list), POST, GET|PATCH|DELETE /{id} for one directory."""
    router = APIRouter(prefix=f"/{spec.path}", tags=["directories"])
    read, create, update, filters_model = spec.read, spec.create, spec.update, spec.filters
    slug = spec.path.replace("-", "_")  # operation ids must be unique across directories

    @router.get("", response_model=Page[read], summary=f"List {spec.path}", operation_id=f"list_{slug}")  # type: ignore[valid-type]  # a model made at start-up for each directory (FastAPI reads it; mypy cannot)
    async def list_items(
        session: SessionDep,
        _: Reader,
        page: PageDep,
        filters: Annotated[filters_model, Query()],  # type: ignore[valid-type]  # a model made at start-up for each directory (FastAPI reads it; mypy cannot)
        active: Annotated[bool | None, Query(description="only active (true) or inactive (false) items")] = None,
    ) -> Any:
        items, total = await service.list_items(
            session, spec, filters=filters, active=active, limit=page.limit, offset=page.offset
        )
        return {"items": [read.model_validate(item) for item in items], "total": total}

    @router.post(
        "",
        response_model=read,
        status_code=status.HTTP_201_CREATED,
        summary=f"Add to {spec.path}",
        operation_id=f"create_{slug}",
    )
    async def create_item(body: create, session: SessionDep, settings: SettingsDep, _: DirectoryEditor) -> Any:  # type: ignore[valid-type]  # a model made at start-up for each directory (FastAPI reads it; mypy cannot)
        item = await service.create_item(session, spec, body, phone_region=settings.phone_region)
        return read.model_validate(item)

    @router.get("/{item_id}", response_model=read, summary=f"One of {spec.path}", operation_id=f"get_{slug}")
    async def get_item(item_id: uuid.UUID, session: SessionDep, _: Reader, response: Response) -> Any:
        item = await service.get_item(session, spec, item_id)
        set_etag(response, item)
        return read.model_validate(item)

    @router.patch(
        "/{item_id}", response_model=read, summary=f"Change one of {spec.path}", operation_id=f"update_{slug}"
    )
    async def update_item(
        item_id: uuid.UUID,
        body: update,  # type: ignore[valid-type]  # a model made at start-up for each directory (FastAPI reads it; mypy cannot)
        session: SessionDep,
        settings: SettingsDep,
        principal: DirectoryEditor,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        item = await service.update_item(
            session, spec, item_id, body, phone_region=settings.phone_region, principal=principal, if_match=if_match
        )
        set_etag(response, item)
        return read.model_validate(item)

    @router.delete(
        "/{item_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary=f"Delete one of {spec.path}",
        operation_id=f"delete_{slug}",
    )
    async def delete_item(
        item_id: uuid.UUID, session: SessionDep, principal: DirectoryEditor, if_match: IfMatch = None
    ) -> Response:
        await service.delete_item(session, spec, item_id, principal=principal, if_match=if_match)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


routers = [directory_router(spec) for spec in DIRECTORIES]
