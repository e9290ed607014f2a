"""Annotated dependencies of the routers: settings and the callers holding each right."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clinic_shared.auth import Principal, require
from patients import rights
from patients.settings import PatientsSettings


def _settings(request: Request) -> PatientsSettings:
    return request.app.state.settings


SettingsDep = Annotated[PatientsSettings, Depends(_settings)]
Reader = Annotated[Principal, require(rights.READ)]
Writer = Annotated[Principal, require(rights.WRITE)]
Deleter = Annotated[Principal, require(rights.DELETE)]
SettingsEditor = Annotated[Principal, require(rights.SETTINGS)]
DiscountIssuer = Annotated[Principal, require(rights.DISCOUNT_CARDS)]
Auditor = Annotated[Principal, require(rights.AUDIT)]
