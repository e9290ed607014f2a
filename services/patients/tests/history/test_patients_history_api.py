"""The journal of a card through the gateway (PAT-8)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def history(platform: Platform, card_id: str) -> list[dict[str, Any]]:
    response = await platform.client.get(f"{CARDS}/{card_id}/history", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_history_starts_with_the_creation(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    (entry,) = await history(platform, card["id"])
    assert (entry["action"], entry["version"], entry["username"]) == ("created", 1, "admin")
    assert {"field": "last_name", "old": None, "new": "Иванов"} in entry["changes"]


async def test_history_shows_changed_fields_from_and_to(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(email=None)
    await platform.client.patch(
        f"{CARDS}/{card['id']}",
        json={"last_name": "Петров", "email": "p@mail.ru", "note": None},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    entry = (await history(platform, card["id"]))[-1]
    assert entry["action"] == "updated" and entry["version"] == 2
    assert entry["changes"] == [
        {"field": "last_name", "old": "Иванов", "new": "Петров"},
        {"field": "email", "old": None, "new": "p@mail.ru"},
    ]


async def test_history_records_who_made_the_change(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = await platform.headers_with(["patients.read", "patients.write"])
    await platform.client.patch(f"{CARDS}/{card['id']}", json={"vip": True}, headers={**headers, **ANY_VERSION})
    entry = (await history(platform, card["id"]))[-1]
    assert entry["username"].startswith("user-")


async def test_history_shows_deletion_and_restore(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    await platform.client.post(f"{CARDS}/{card['id']}/restore", headers={**platform.admin_headers, **ANY_VERSION})
    entries = await history(platform, card["id"])
    assert [(e["action"], e["version"]) for e in entries] == [("created", 1), ("deleted", 2), ("restored", 3)]


async def test_history_of_an_unknown_card_is_404(platform: Platform) -> None:
    response = await platform.client.get(f"{CARDS}/{uuid.uuid4()}/history", headers=platform.admin_headers)
    assert response.status_code == 404
