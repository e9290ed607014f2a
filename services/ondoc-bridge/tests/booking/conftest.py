"""Booking from ONDOC needs scheduling."""

import pytest


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "scheduling", "ondoc"]
