"""PatientsSettings: environment configuration checked at start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from patients.settings import PatientsSettings


def test_phone_region_is_upper_cased(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_PHONE_REGION", "kz")
    assert PatientsSettings().phone_region == "KZ"


def test_unknown_phone_region_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_PHONE_REGION", "XX")
    with pytest.raises(ValidationError):
        PatientsSettings()


def test_defaults_fit_a_russian_clinic(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLINIC_PHONE_REGION", "CLINIC_MINOR_AGE"):
        monkeypatch.delenv(name, raising=False)
    settings = PatientsSettings()
    assert (settings.service_name, settings.phone_region, settings.minor_age) == ("patients", "RU", 18)
