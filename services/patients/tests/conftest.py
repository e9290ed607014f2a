"""Fixtures of the patients tests: the platform with patients only, and card builders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients"]


def card_payload(**overrides: Any) -> dict[str, Any]:
    """A valid new card; override any field."""
    payload: dict[str, Any] = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Петрович",
        "birth_date": "1985-04-12",
        "mobile_phone": "8 (922) 999-99-99",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def new_card_payload() -> Callable[..., dict[str, Any]]:
    """`card_payload` for tests that post the body themselves."""
    return card_payload


@pytest.fixture
def create_card(platform: Platform) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Create a card through the gateway as admin and return its body."""

    async def create(**overrides: Any) -> dict[str, Any]:
        response = await platform.client.post(CARDS, json=card_payload(**overrides), headers=platform.admin_headers)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return create
