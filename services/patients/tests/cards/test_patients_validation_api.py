"""Bad input answers 4xx problem details naming the field, never 500 (PAT-1, PAT-2)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx
from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
Payload = Callable[..., dict[str, Any]]
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


def error_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


async def post_card(platform: Platform, body: dict[str, Any]) -> httpx.Response:
    return await platform.client.post(CARDS, json=body, headers=platform.admin_headers)


async def test_malformed_birth_date_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(birth_date="1990-02-30"))) == ["birth_date"]


async def test_future_birth_date_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert error_fields(await post_card(platform, new_card_payload(birth_date=tomorrow))) == ["birth_date"]


async def test_birth_date_before_1900_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(birth_date="1899-12-31"))) == ["birth_date"]


async def test_unknown_sex_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(sex="unknown"))) == ["sex"]


async def test_ten_kilobyte_name_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(last_name="Я" * 10_000))) == ["last_name"]


async def test_blank_first_name_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(first_name="   "))) == ["first_name"]


async def test_missing_last_name_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    body = new_card_payload()
    del body["last_name"]
    assert error_fields(await post_card(platform, body)) == ["last_name"]


async def test_invalid_phone_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(mobile_phone="12345"))) == ["mobile_phone"]


async def test_invalid_other_phone_is_422_naming_its_position(platform: Platform, new_card_payload: Payload) -> None:
    body = new_card_payload(other_phones=["+7 495 123 45 67", "нет"])
    assert error_fields(await post_card(platform, body)) == ["other_phones.1"]


async def test_invalid_email_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(email="ivan@"))) == ["email"]


async def test_unknown_field_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(phone="89229999999"))) == ["phone"]


async def test_several_bad_fields_are_reported_together(platform: Platform, new_card_payload: Payload) -> None:
    body = new_card_payload(mobile_phone="1", email="x", birth_date="2999-01-01")
    assert sorted(error_fields(await post_card(platform, body))) == ["birth_date", "email", "mobile_phone"]


async def test_body_that_is_not_json_is_422(platform: Platform) -> None:
    response = await platform.client.post(
        CARDS, content=b"{not json", headers={**platform.admin_headers, "content-type": "application/json"}
    )
    assert error_fields(response) == ["body"]


async def test_missing_required_data_is_refused_when_the_policy_is_on(
    platform: Platform, new_card_payload: Payload
) -> None:
    await platform.client.put(
        "/api/patients/settings",
        json={"required_fields_enabled": True},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    body = new_card_payload(middle_name=None, birth_date=None, mobile_phone=None)
    assert error_fields(await post_card(platform, body)) == ["middle_name", "birth_date", "mobile_phone", "email"]


async def test_patch_is_checked_against_the_policy_on_the_resulting_card(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card(email=None)
    await platform.client.put(
        "/api/patients/settings",
        json={"required_fields_enabled": True},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"mobile_phone": None}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert error_fields(response) == ["mobile_phone", "email"]


async def test_patch_clearing_the_last_name_is_422_naming_it(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await platform.client.patch(
        f"{CARDS}/{card['id']}", json={"last_name": None}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert error_fields(response) == ["last_name"]


async def test_malformed_card_id_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.get(f"{CARDS}/not-a-uuid", headers=platform.admin_headers)
    assert error_fields(response) == ["card_id"]


async def test_refused_card_is_not_created(platform: Platform, new_card_payload: Payload) -> None:
    await post_card(platform, new_card_payload(last_name="Отказанный", sex="x"))
    response = await platform.client.get(CARDS, params={"q": "отказ"}, headers=platform.admin_headers)
    assert response.json()["total"] == 0


async def test_nul_character_in_a_note_is_422_naming_it(platform: Platform, new_card_payload: Payload) -> None:
    assert error_fields(await post_card(platform, new_card_payload(note="до\x00после"))) == ["note"]


async def test_line_breaks_in_a_note_are_kept(platform: Platform, new_card_payload: Payload) -> None:
    response = await post_card(platform, new_card_payload(note="строка 1\nстрока 2"))
    assert response.status_code == 201 and response.json()["note"] == "строка 1\nстрока 2"


async def test_tabs_and_double_spaces_in_names_are_collapsed(platform: Platform, new_card_payload: Payload) -> None:
    response = await post_card(platform, new_card_payload(last_name=" Петров\t Водкин "))
    assert response.json()["last_name"] == "Петров Водкин"


async def test_nul_character_in_a_search_is_422_naming_the_parameter(platform: Platform) -> None:
    response = await platform.client.get(CARDS, params={"q": "ив\x00"}, headers=platform.admin_headers)
    assert error_fields(response) == ["q"]
