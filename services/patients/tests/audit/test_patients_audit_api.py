"""The audit log of who read or changed a card (GW-3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
AUDIT = "/api/patients/audit"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def audit_of(platform: Platform, card_id: str) -> list[dict[str, Any]]:
    response = await platform.client.get(AUDIT, params={"card_id": card_id}, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_creation_is_audited(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    assert [(r["action"], r["username"]) for r in await audit_of(platform, card["id"])] == [("create", "admin")]


async def test_reading_a_card_is_audited_with_the_reader(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = await platform.headers_with(["patients.read"])
    await platform.client.get(f"{CARDS}/{card['id']}", headers=headers)
    latest = (await audit_of(platform, card["id"]))[0]
    assert latest["action"] == "read" and latest["username"].startswith("user-")


async def test_cards_shown_by_a_search_are_audited(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.get(CARDS, params={"q": "иван"}, headers=platform.admin_headers)
    latest = (await audit_of(platform, card["id"]))[0]
    assert (latest["action"], latest["detail"]) == ("search", "q")


async def test_changes_are_audited_with_field_names_only(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"last_name": "Петров"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    latest = (await audit_of(platform, card["id"]))[0]
    assert (latest["action"], latest["detail"]) == ("update", "last_name")


async def test_delete_and_restore_are_audited(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    await platform.client.post(f"{CARDS}/{card['id']}/restore", headers={**platform.admin_headers, **ANY_VERSION})
    assert [r["action"] for r in await audit_of(platform, card["id"])][:2] == ["restore", "delete"]


async def test_audit_can_be_filtered_by_action(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.get(f"{CARDS}/{card['id']}", headers=platform.admin_headers)
    response = await platform.client.get(
        AUDIT, params={"card_id": card["id"], "action": "create"}, headers=platform.admin_headers
    )
    assert [r["action"] for r in response.json()["items"]] == ["create"]


async def test_naive_time_filter_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.get(AUDIT, params={"since": "2026-01-01T00:00:00"}, headers=platform.admin_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["since"]
