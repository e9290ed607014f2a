"""Every route needs a token and its right (GW-3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]
ANY_ID = "00000000-0000-4000-8000-000000000001"  # fixed: test ids must be stable for xdist

ROUTES = [
    ("GET", "/api/patients/cards", None),
    ("POST", "/api/patients/cards", {"last_name": "А", "first_name": "Б"}),
    ("POST", "/api/patients/cards/batch", {"cards": [{"last_name": "А", "first_name": "Б"}]}),
    ("GET", f"/api/patients/cards/{ANY_ID}", None),
    ("PATCH", f"/api/patients/cards/{ANY_ID}", {"note": "x"}),
    ("DELETE", f"/api/patients/cards/{ANY_ID}", None),
    ("POST", f"/api/patients/cards/{ANY_ID}/restore", None),
    ("GET", f"/api/patients/cards/{ANY_ID}/history", None),
    ("GET", f"/api/patients/cards/{ANY_ID}/discount-cards", None),
    ("POST", f"/api/patients/cards/{ANY_ID}/discount-cards", {"percent": 5}),
    ("GET", f"/api/patients/cards/{ANY_ID}/issues", None),
    ("POST", f"/api/patients/cards/{ANY_ID}/issues", {"recipient_kind": "doctor", "recipient_name": "А"}),
    ("POST", f"/api/patients/cards/{ANY_ID}/return", None),
    ("GET", "/api/patients/cards-out", None),
    ("GET", "/api/patients/settings", None),
    ("PUT", "/api/patients/settings", {"required_fields_enabled": True}),
    ("GET", "/api/patients/sex-endings", None),
    ("GET", "/api/patients/sex-endings/guess?middle_name=Иванович", None),
    ("POST", "/api/patients/sex-endings", {"ending": "сон", "sex": "male"}),
    ("PATCH", f"/api/patients/sex-endings/{ANY_ID}", {"sex": "male"}),
    ("DELETE", f"/api/patients/sex-endings/{ANY_ID}", None),
    ("GET", "/api/patients/audit", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_every_route_without_a_token_is_401(platform: Platform, method: str, path: str, body: Any) -> None:
    response = await platform.client.request(method, path, json=body)
    assert response.status_code == 401


async def test_a_bad_token_is_401(platform: Platform) -> None:
    response = await platform.client.get(CARDS, headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401


async def test_reading_without_the_read_right_is_403_naming_it(platform: Platform) -> None:
    headers = await platform.headers_with(["patients.audit"])
    response = await platform.client.get(CARDS, headers=headers)
    assert response.status_code == 403
    assert "patients.read" in response.json()["detail"]


async def test_a_reader_cannot_create_cards(platform: Platform) -> None:
    headers = await platform.headers_with(["patients.read"])
    response = await platform.client.post(CARDS, json={"last_name": "А", "first_name": "Б"}, headers=headers)
    assert response.status_code == 403


async def test_a_writer_cannot_delete_cards(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = await platform.headers_with(["patients.read", "patients.write"])
    response = await platform.client.delete(f"{CARDS}/{card['id']}", headers={**headers, **ANY_VERSION})
    assert response.status_code == 403


async def test_a_reader_can_read_cards(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = await platform.headers_with(["patients.read"])
    response = await platform.client.get(f"{CARDS}/{card['id']}", headers=headers)
    assert response.status_code == 200


async def test_a_receptionist_cannot_read_the_audit_log(platform: Platform) -> None:
    headers = await platform.headers_with(["patients.read", "patients.write", "patients.delete"])
    response = await platform.client.get("/api/patients/audit", headers=headers)
    assert response.status_code == 403


async def test_a_receptionist_cannot_change_the_settings(platform: Platform) -> None:
    headers = await platform.headers_with(["patients.read", "patients.write"])
    response = await platform.client.put(
        "/api/patients/settings", json={"required_fields_enabled": True}, headers={**headers, **ANY_VERSION}
    )
    assert response.status_code == 403
