"""Annotated dependencies of the routers: settings and the callers holding each right."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import Principal, require
from ondoc_bridge import rights
from ondoc_bridge.ondoc.http_adapter import OndocClients
from ondoc_bridge.settings import OndocSettings

# runtime.state key of the ONDOC clients built in the lifespan
CLIENTS_KEY = "ondoc_clients"


def _settings(request: Request) -> OndocSettings:
    return request.app.state.settings


SettingsDep = Annotated[OndocSettings, Depends(_settings)]
Reader = Annotated[Principal, require(rights.READ)]
SettingsEditor = Annotated[Principal, require(rights.SETTINGS)]
Attacher = Annotated[Principal, require(rights.ATTACH)]
Syncer = Annotated[Principal, require(rights.SYNC)]
Mapper = Annotated[Principal, require(rights.MAPPINGS)]


def _clients(request: Request) -> OndocClients:
    return request.app.state.runtime.state[CLIENTS_KEY]


OndocClientsDep = Annotated[OndocClients, Depends(_clients)]
