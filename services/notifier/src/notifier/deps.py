"""Annotated dependencies of the routers: settings, the notifier context and the callers of each right."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import Principal, require
from notifier import rights
from notifier.context import NotifierContext
from notifier.settings import NotifierSettings


def _settings(request: Request) -> NotifierSettings:
    return request.app.state.settings


def _context(request: Request) -> NotifierContext:
    return request.app.state.notifier


SettingsDep = Annotated[NotifierSettings, Depends(_settings)]
ContextDep = Annotated[NotifierContext, Depends(_context)]
Reader = Annotated[Principal, require(rights.READ)]
SettingsEditor = Annotated[Principal, require(rights.SETTINGS)]
ScheduleEditor = Annotated[Principal, require(rights.SCHEDULES)]
Sender = Annotated[Principal, require(rights.SEND)]
