"""Annotated dependencies of the routers: settings, the callers holding each right, their scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import CurrentPrincipal, Principal, require
from clinic_shared.service import get_runtime
from profexam import rights
from profexam.access import service as access_service
from profexam.scope import OrganizationScope
from profexam.settings import ProfexamSettings


def _settings(request: Request) -> ProfexamSettings:
    return request.app.state.settings


def authorization_of(request: Request) -> str:
    """The caller's Authorization header: calls to patients act as the calling user."""
    return request.headers.get("authorization", "")


async def organization_scope(request: Request, principal: CurrentPrincipal) -> OrganizationScope:
    """The organisations the caller may see (PRO-8), read in a short session of its own (imports
    and exports keep no transaction open for it)."""
    async with get_runtime(request).db.read_session() as session:
        return await access_service.scope_of(session, principal.user_id)


SettingsDep = Annotated[ProfexamSettings, Depends(_settings)]
AuthorizationDep = Annotated[str, Depends(authorization_of)]
ScopeDep = Annotated[OrganizationScope, Depends(organization_scope)]
Reader = Annotated[Principal, require(rights.READ)]
Writer = Annotated[Principal, require(rights.WRITE)]
Importer = Annotated[Principal, require(rights.IMPORT)]
DirectoryEditor = Annotated[Principal, require(rights.DIRECTORIES)]
AccessManager = Annotated[Principal, require(rights.ACCESS)]
