"""Card CRUD through the gateway (PAT-1, PAT-4, PAT-5)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def test_created_card_has_number_id_and_normalised_phone(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(mobile_phone="8 (922) 999-99-99", email=" Ivan@Mail.RU ")
    uuid.UUID(card["id"])
    assert card["card_number"].isdigit()
    assert card["mobile_phone"] == "79229999999"
    assert card["email"] == "ivan@mail.ru"
    assert card["version"] == 1 and card["deleted"] is False


async def test_created_card_records_who_created_it(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    assert card["created_by_username"] == "admin"
    assert card["updated_by_username"] == "admin"
    assert card["created_at"].endswith("Z") or "+" in card["created_at"]


async def test_card_numbers_are_unique_under_concurrent_creation(platform: Platform, create_card: CreateCard) -> None:
    cards = await asyncio.gather(*(create_card(last_name=f"Пациент{i}") for i in range(8)))
    numbers = {card["card_number"] for card in cards}
    assert len(numbers) == 8


async def test_card_is_read_back_by_id(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(other_phones=["+7 495 123-45-67"], address="Москва, ул. Ленина, 1", vip=True)
    response = await platform.client.get(f"{CARDS}/{card['id']}", headers=platform.admin_headers)
    assert response.status_code == 200
    assert response.json() == card


async def test_child_is_flagged_minor(platform: Platform, create_card: CreateCard) -> None:
    today = date.today()
    card = await create_card(birth_date=date(today.year - 10, 1, 1).isoformat())
    assert card["is_minor"] is True and card["age"] in (9, 10)


async def test_adult_is_not_flagged_minor(platform: Platform, create_card: CreateCard) -> None:
    assert (await create_card(birth_date="1985-04-12"))["is_minor"] is False


async def test_sex_is_guessed_from_the_patronymic_when_empty(platform: Platform, create_card: CreateCard) -> None:
    assert (await create_card(middle_name="Сергеевна"))["sex"] == "female"


async def test_unknown_card_is_404_problem(platform: Platform) -> None:
    response = await platform.client.get(f"{CARDS}/{uuid.uuid4()}", headers=platform.admin_headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_patch_changes_only_the_fields_sent(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(email="old@mail.ru")
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}",
        json={"last_name": "Петров", "mobile_phone": "+7 922 111 22 33"},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["last_name"], body["mobile_phone"], body["email"]) == ("Петров", "79221112233", "old@mail.ru")
    assert body["version"] == 2


async def test_patch_with_null_clears_an_optional_field(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(email="a@b.ru")
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"email": None}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.json()["email"] is None


async def test_patch_without_changes_keeps_the_version(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}",
        json={"last_name": card["last_name"]},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.json()["version"] == 1


async def test_patch_with_a_stale_body_version_is_412(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    url = f"{CARDS}/{card['id']}"
    await platform.client.patch(url, json={"note": "first"}, headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.patch(
        url, json={"note": "second", "version": 1}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 412
    assert response.json()["code"] == "version-mismatch" and response.json()["current_version"] == "2"


async def test_patch_keeps_a_foreign_phone_valid(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(mobile_phone="+44 20 7946 0958")
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"vip": True}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200
    assert response.json()["mobile_phone"] == "442079460958"


async def test_deleted_card_is_still_readable_as_deleted(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    assert response.status_code == 204
    body = (await platform.client.get(f"{CARDS}/{card['id']}", headers=platform.admin_headers)).json()
    assert body["deleted"] is True and body["deleted_at"] is not None and body["version"] == 2


async def test_editing_a_deleted_card_is_409(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"note": "x"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 409 and response.json()["code"] == "card-deleted"


async def test_restore_brings_a_deleted_card_back(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/restore", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200
    assert response.json()["deleted"] is False and response.json()["version"] == 3


async def test_deleting_twice_changes_nothing_the_second_time(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    for _ in range(2):
        response = await platform.client.delete(
            f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION}
        )
        assert response.status_code == 204
    body = (await platform.client.get(f"{CARDS}/{card['id']}", headers=platform.admin_headers)).json()
    assert body["version"] == 2


async def test_deleting_an_unknown_card_is_404(platform: Platform) -> None:
    response = await platform.client.delete(
        f"{CARDS}/{uuid.uuid4()}", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 404
