import pytest


@pytest.fixture
def platform_services() -> list[str]:
    return []
