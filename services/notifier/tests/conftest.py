"""Fixtures of the notifier tests: the platform with the notifier only, a controllable clock,
and a harness that publishes events into the service and runs planner passes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from notifier_builders import ANY_VERSION, T0
from notifier_harness import API, Notifier

from clinic_shared.testing.platform import Platform
from notifier.clock import CLOCK_KEY, ManualClock
from notifier.context import NotifierContext


@pytest.fixture
def platform_services() -> list[str]:
    return ["notifier"]


@pytest.fixture
async def notifier(platform: Platform, settings_overrides: dict[str, Any]) -> AsyncIterator[Notifier]:
    """The notifier on a manual clock at T0, sending through its fakes (SMS and SMTP sink)."""
    app = platform.app.state.embedded_apps["notifier"]
    context: NotifierContext = app.state.notifier
    clock = ManualClock(T0)
    context.require_runtime().state[CLOCK_KEY] = clock
    response = await platform.client.put(
        f"{API}/settings",
        json={
            "sms_provider": "fake",
            "email_provider": "fake",
            "clinic_name": "Клиника Здоровье",
            "clinic_phone": "+7 343 000-00-00",
        },
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text
    yield Notifier(platform=platform, context=context, clock=clock, overrides=settings_overrides)
