"""Settings tests need the bridge alone."""

import pytest


@pytest.fixture
def platform_services() -> list[str]:
    return ["ondoc"]
