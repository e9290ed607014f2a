"""Annotated dependencies of the routers: settings and the callers holding each right."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from clinic_shared.auth import CurrentPrincipal, Principal, require
from clinic_shared.service import ServiceRuntime, SessionDep
from lab import rights
from lab.access import LabScope, lab_scope
from lab.settings import LabSettings


def _settings(request: Request) -> LabSettings:
    return request.app.state.settings


def _authorization(request: Request) -> str | None:
    return request.headers.get("authorization")


def settings_of(runtime: ServiceRuntime) -> LabSettings:
    """The service's own settings (create_app always builds LabSettings)."""
    return cast(LabSettings, runtime.settings)


SettingsDep = Annotated[LabSettings, Depends(_settings)]
AuthorizationDep = Annotated[str | None, Depends(_authorization)]
Reader = Annotated[Principal, require(rights.READ)]
OrderCreator = Annotated[Principal, require(rights.CREATE_ORDER)]
ResultsEditor = Annotated[Principal, require(rights.RESULTS)]
DirectoryEditor = Annotated[Principal, require(rights.DIRECTORIES)]
SettingsEditor = Annotated[Principal, require(rights.SETTINGS)]


async def _scope(session: SessionDep, principal: CurrentPrincipal) -> LabScope:
    return await lab_scope(session, principal)


# The labs whose orders the caller may see (LAB-7); checked after the route's own right.
ScopeDep = Annotated[LabScope, Depends(_scope)]


def wake_exchange_worker(runtime: ServiceRuntime) -> None:
    """Nudge the exchange worker: on SQLite its next claim waits for this request's commit."""
    worker = runtime.state.get("exchange_worker")
    if worker is not None:
        worker.wake()
