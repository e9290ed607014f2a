"""Card search through the gateway (PAT-3, PAT-5)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def search(platform: Platform, **params: Any) -> dict[str, Any]:
    response = await platform.client.get(CARDS, params=params, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def names(result: dict[str, Any]) -> list[str]:
    return [f"{c['last_name']} {c['first_name']}" for c in result["items"]]


async def test_each_word_is_a_prefix_of_some_name_part(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванов", first_name="Иван")
    await create_card(last_name="Петров", first_name="Иван")
    assert names(await search(platform, q="иван ив")) == ["Иванов Иван"]


async def test_search_is_case_and_yo_insensitive(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Семёнов", first_name="Пётр")
    assert names(await search(platform, q="СЕМЕНОВ петр")) == ["Семёнов Пётр"]
    assert names(await search(platform, q="сЁм")) == ["Семёнов Пётр"]


async def test_repeated_word_needs_two_name_parts(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванов", first_name="Иван")
    await create_card(last_name="Иванов", first_name="Пётр")
    assert names(await search(platform, q="иван иван")) == ["Иванов Иван"]


async def test_every_word_must_match(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванов", first_name="Иван")
    assert (await search(platform, q="иванов сидор"))["total"] == 0


async def test_words_match_only_at_the_start_of_a_name_part(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванов", first_name="Иван")
    assert (await search(platform, q="ванов"))["total"] == 0


async def test_like_wildcards_in_the_query_are_literal(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванов")
    assert (await search(platform, q="%"))["total"] == 0
    assert (await search(platform, q="ив_н"))["total"] == 0


async def test_each_part_of_a_double_surname_is_found_by_prefix(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Петрова-Водкина", first_name="Анна")
    await create_card(last_name="Петрова", first_name="Мария")
    assert names(await search(platform, q="водкина")) == ["Петрова-Водкина Анна"]
    assert names(await search(platform, q="водк ан")) == ["Петрова-Водкина Анна"]
    assert names(await search(platform, q="петрова")) == ["Петрова Мария", "Петрова-Водкина Анна"]
    assert names(await search(platform, q="петрова-вод")) == ["Петрова-Водкина Анна"]
    assert names(await search(platform, q="ПЕТРОВА ВОДКИНА")) == ["Петрова-Водкина Анна"]


async def test_words_of_first_and_middle_names_and_after_apostrophes_are_found(
    platform: Platform, create_card: CreateCard
) -> None:
    await create_card(last_name="О'Коннор", first_name="Анна-Мария", middle_name="Мамед оглы")
    assert names(await search(platform, q="коннор")) == ["О'Коннор Анна-Мария"]
    assert names(await search(platform, q="мари")) == ["О'Коннор Анна-Мария"]
    assert names(await search(platform, q="оглы мамед")) == ["О'Коннор Анна-Мария"]


async def test_a_word_is_not_found_in_the_middle_of_a_word_of_a_double_surname(
    platform: Platform, create_card: CreateCard
) -> None:
    await create_card(last_name="Петрова-Водкина")
    assert (await search(platform, q="одкина"))["total"] == 0
    assert (await search(platform, q="-водкина"))["total"] == 1  # the dash typed first is dropped


async def test_repeated_word_needs_two_words_of_the_names(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Иванова-Иванова", first_name="Анна")
    await create_card(last_name="Иванова", first_name="Анна")
    assert names(await search(platform, q="иванова иванова")) == ["Иванова-Иванова Анна"]


async def test_a_renamed_card_is_found_by_its_new_name_only(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(last_name="Петрова", first_name="Анна")
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}",
        json={"last_name": "Петрова-Водкина"},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 200, response.text
    assert names(await search(platform, q="водкина")) == ["Петрова-Водкина Анна"]
    await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"last_name": "Сидорова"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert (await search(platform, q="водкина"))["total"] == 0
    assert names(await search(platform, q="сидорова анна")) == ["Сидорова Анна"]


async def test_cards_made_by_the_batch_are_found_by_every_word(platform: Platform) -> None:
    body = {"cards": [{"last_name": "Петрова-Водкина", "first_name": "Анна", "birth_date": "1990-01-01"}]}
    response = await platform.client.post(f"{CARDS}/batch", json=body, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    assert names(await search(platform, q="водкина анна")) == ["Петрова-Водкина Анна"]


async def test_more_words_than_three_each_start_some_word(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Петрова-Водкина", first_name="Анна", middle_name="Ивановна")
    assert names(await search(platform, q="петрова водкина анна ивановна")) == ["Петрова-Водкина Анна"]


async def test_phone_in_any_format_finds_the_card(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(mobile_phone="+7 922 999 99 99")
    await create_card(last_name="Другой", mobile_phone="+7 922 111 11 11")
    result = await search(platform, phone="8 (922) 999-99-99")
    assert [c["id"] for c in result["items"]] == [card["id"]]


async def test_phone_search_also_looks_at_other_phones(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(mobile_phone=None, other_phones=["+7 (495) 123-45-67"])
    assert [c["id"] for c in (await search(platform, phone="84951234567"))["items"]] == [card["id"]]


async def test_trailing_digits_find_the_card(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(mobile_phone="+7 922 999 12 34")
    assert [c["id"] for c in (await search(platform, phone="12-34"))["items"]] == [card["id"]]


async def test_phone_too_short_to_search_is_422_naming_phone(platform: Platform) -> None:
    response = await platform.client.get(CARDS, params={"phone": "12"}, headers=platform.admin_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["phone"]


async def test_birth_date_filters(platform: Platform, create_card: CreateCard) -> None:
    await create_card(last_name="Ранний", birth_date="1980-01-01")
    await create_card(last_name="Поздний", birth_date="1990-01-01")
    assert [c["last_name"] for c in (await search(platform, birth_date="1990-01-01"))["items"]] == ["Поздний"]


async def test_card_number_finds_the_card_with_or_without_leading_zeros(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    await create_card(last_name="Другой")
    short = str(int(card["card_number"]))
    assert [c["id"] for c in (await search(platform, card_number=short))["items"]] == [card["id"]]
    assert [c["id"] for c in (await search(platform, card_number=card["card_number"]))["items"]] == [card["id"]]


async def test_deleted_cards_are_hidden_unless_asked_for(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(last_name="Удалённый")
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    assert (await search(platform, q="удал"))["total"] == 0
    assert [c["id"] for c in (await search(platform, q="удал", include_deleted="true"))["items"]] == [card["id"]]


async def test_results_are_ordered_by_last_then_first_name(platform: Platform, create_card: CreateCard) -> None:
    for last, first in [("Яковлев", "Антон"), ("Авдеев", "Борис"), ("Авдеев", "Алексей")]:
        await create_card(last_name=last, first_name=first)
    assert names(await search(platform)) == ["Авдеев Алексей", "Авдеев Борис", "Яковлев Антон"]


async def test_results_are_paginated_with_a_total(platform: Platform, create_card: CreateCard) -> None:
    for i in range(5):
        await create_card(last_name=f"Смирнов{i}")
    page = await search(platform, q="смирнов", limit=2, offset=2)
    assert page["total"] == 5
    assert [c["last_name"] for c in page["items"]] == ["Смирнов2", "Смирнов3"]


async def test_bad_birth_date_filter_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.get(CARDS, params={"birth_date": "31.12.1990"}, headers=platform.admin_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["birth_date"]
