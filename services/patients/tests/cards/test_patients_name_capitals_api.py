"""Names typed in lower case are stored with capitals, on create, edit and batch (PAT-1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


def full_name(card: dict[str, Any]) -> tuple[str, str, str | None]:
    return card["last_name"], card["first_name"], card["middle_name"]


async def test_lower_case_names_are_capitalised_on_create(create_card: CreateCard) -> None:
    card = await create_card(last_name="петрова-водкина", first_name="анна мария", middle_name="мамед оглы")
    assert full_name(card) == ("Петрова-Водкина", "Анна Мария", "Мамед оглы")


async def test_names_with_a_capital_are_kept_as_typed(create_card: CreateCard) -> None:
    card = await create_card(last_name="де Сото", first_name="ЭРНАНДО", middle_name="МакДональд")
    assert full_name(card) == ("де Сото", "ЭРНАНДО", "МакДональд")


async def test_lower_case_names_are_capitalised_on_edit(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}",
        json={"last_name": "о'коннор", "middle_name": "  иванович  "},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text
    assert full_name(response.json()) == ("О'Коннор", "Иван", "Иванович")


async def test_an_edit_without_names_leaves_the_names_as_stored(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(last_name="де Сото")
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"vip": True}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200, response.text
    assert response.json()["last_name"] == "де Сото"


async def test_the_history_shows_the_stored_capitals(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(last_name="иванова")
    response = await platform.client.get(f"{CARDS}/{card['id']}/history", headers=platform.admin_headers)
    assert {"field": "last_name", "old": None, "new": "Иванова"} in response.json()["items"][0]["changes"]


async def test_lower_case_names_are_capitalised_by_the_batch(platform: Platform) -> None:
    body = {
        "cards": [
            {"last_name": "петрова-водкина", "first_name": "анна", "birth_date": "1990-01-01"},
            {"last_name": "де Сото", "first_name": "эрнандо"},
        ]
    }
    response = await platform.client.post(f"{CARDS}/batch", json=body, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    cards = []
    for item in response.json()["items"]:
        read = await platform.client.get(f"{CARDS}/{item['id']}", headers=platform.admin_headers)
        cards.append(full_name(read.json()))
    assert cards == [("Петрова-Водкина", "Анна", None), ("де Сото", "Эрнандо", None)]


async def test_the_batch_matches_a_card_typed_in_another_case(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(last_name="Петрова-Водкина", first_name="Анна", middle_name=None, birth_date="1990-01-01")
    body = {"cards": [{"last_name": "петрова-водкина", "first_name": "АННА", "birth_date": "1990-01-01"}]}
    response = await platform.client.post(f"{CARDS}/batch", json=body, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["items"][0] == {"index": 0, "id": card["id"], "created": False, "matched": True}
