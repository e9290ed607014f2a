"""Annotated dependencies of the routers: settings, the caller's token and each right."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import Principal, require
from scheduling import rights
from scheduling.settings import SchedulingSettings


# async def: FastAPI runs a plain `def` dependency in a worker thread, a thread hop per request
# for what is only an attribute or header lookup.
async def _settings(request: Request) -> SchedulingSettings:
    return request.app.state.settings


async def _authorization(request: Request) -> str | None:
    """The caller's Authorization header, passed on when we call another service as them."""
    return request.headers.get("authorization")


SettingsDep = Annotated[SchedulingSettings, Depends(_settings)]
AuthorizationDep = Annotated[str | None, Depends(_authorization)]
Reader = Annotated[Principal, require(rights.READ)]
Writer = Annotated[Principal, require(rights.WRITE)]
Deleter = Annotated[Principal, require(rights.DELETE)]
DirectoryEditor = Annotated[Principal, require(rights.DIRECTORIES)]
ScheduleEditor = Annotated[Principal, require(rights.SCHEDULES)]
SettingsEditor = Annotated[Principal, require(rights.SETTINGS)]
