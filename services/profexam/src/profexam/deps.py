"""Annotated dependencies of the routers: settings and the callers holding each right."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import Principal, require
from profexam import rights
from profexam.settings import ProfexamSettings


def _settings(request: Request) -> ProfexamSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def authorization_of(request: Request) -> str:
    """The caller's Authorization header: calls to patients act as the calling user."""
    return request.headers.get("authorization", "")


SettingsDep = Annotated[ProfexamSettings, Depends(_settings)]
AuthorizationDep = Annotated[str, Depends(authorization_of)]
Reader = Annotated[Principal, require(rights.READ)]
Writer = Annotated[Principal, require(rights.WRITE)]
Importer = Annotated[Principal, require(rights.IMPORT)]
DirectoryEditor = Annotated[Principal, require(rights.DIRECTORIES)]
