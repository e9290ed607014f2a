"""How a process takes the platform settings the gateway broadcasts (clinic_shared.clinic_time)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from clinic_shared.clinic_time import apply_platform_settings, clinic_zone_name, set_clinic_zone


@pytest.fixture(autouse=True)
def moscow() -> Iterator[None]:
    set_clinic_zone("Europe/Moscow")
    yield
    set_clinic_zone("Europe/Moscow")


def test_broadcast_settings_set_the_process_zone_and_the_settings_object() -> None:
    settings = SimpleNamespace(timezone="Europe/Moscow")
    apply_platform_settings(settings, {"timezone": "Asia/Omsk", "changed_at": "2026-12-06T10:00:00+00:00"})
    assert clinic_zone_name() == "Asia/Omsk" and settings.timezone == "Asia/Omsk"


def test_settings_older_than_the_ones_taken_are_ignored() -> None:
    settings = SimpleNamespace(timezone="Europe/Moscow")
    apply_platform_settings(settings, {"timezone": "Asia/Omsk", "changed_at": "2026-12-06T10:00:00+00:00"})
    apply_platform_settings(settings, {"timezone": "Europe/Moscow", "changed_at": "2026-12-06T09:00:00+00:00"})
    assert clinic_zone_name() == "Asia/Omsk" and settings.timezone == "Asia/Omsk"


def test_the_same_settings_repeated_are_taken_again_after_a_local_reset() -> None:
    settings = SimpleNamespace(timezone="Europe/Moscow")
    payload = {"timezone": "Asia/Omsk", "changed_at": "2026-12-06T10:00:00+00:00"}
    apply_platform_settings(settings, payload)
    set_clinic_zone("Europe/Samara")  # a service starting later in the same process
    apply_platform_settings(settings, payload)
    assert clinic_zone_name() == "Asia/Omsk"


@pytest.mark.parametrize("payload", [{"timezone": "Mars/Olympus"}, {"timezone": 3}, {}])
def test_a_payload_without_a_known_zone_changes_nothing(payload: dict[str, object]) -> None:
    settings = SimpleNamespace(timezone="Europe/Moscow")
    apply_platform_settings(settings, payload)
    assert clinic_zone_name() == "Europe/Moscow" and settings.timezone == "Europe/Moscow"
