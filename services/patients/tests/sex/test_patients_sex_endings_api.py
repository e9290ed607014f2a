"""The sex-by-patronymic dictionary through the gateway (PAT-6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from clinic_shared.testing.platform import Platform

ENDINGS = "/api/patients/sex-endings"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def endings(platform: Platform) -> dict[str, str]:
    response = await platform.client.get(ENDINGS, headers=platform.admin_headers)
    assert response.status_code == 200
    return {e["ending"]: e["sex"] for e in response.json()["items"]}


async def guess(platform: Platform, middle_name: str) -> str | None:
    response = await platform.client.get(
        f"{ENDINGS}/guess", params={"middle_name": middle_name}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    return response.json()["sex"]  # type: ignore[no-any-return]


async def test_default_endings_are_loaded_on_first_start(platform: Platform) -> None:
    assert await endings(platform) == {
        "вич": "male",
        "вна": "female",
        "ич": "male",
        "ична": "female",
        "кызы": "female",
        "оглы": "male",
    }


async def test_guess_answers_the_sex_of_a_patronymic(platform: Platform) -> None:
    assert (await guess(platform, "Мамед оглы"), await guess(platform, "Джон")) == ("male", None)


async def test_added_ending_is_used_for_new_cards(platform: Platform, create_card: CreateCard) -> None:
    response = await platform.client.post(
        ENDINGS, json={"ending": "-Сон", "sex": "male"}, headers=platform.admin_headers
    )
    assert response.status_code == 201 and response.json()["ending"] == "сон"
    assert (await create_card(middle_name="Джонсон"))["sex"] == "male"


async def test_duplicate_ending_is_409(platform: Platform) -> None:
    response = await platform.client.post(
        ENDINGS, json={"ending": "вич", "sex": "female"}, headers=platform.admin_headers
    )
    assert response.status_code == 409


async def test_ending_that_is_not_letters_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.post(ENDINGS, json={"ending": "12", "sex": "male"}, headers=platform.admin_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["ending"]


async def test_ending_can_be_changed(platform: Platform) -> None:
    items = (await platform.client.get(ENDINGS, headers=platform.admin_headers)).json()["items"]
    ending_id = next(e["id"] for e in items if e["ending"] == "кызы")
    response = await platform.client.patch(
        f"{ENDINGS}/{ending_id}", json={"sex": "male"}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    assert await guess(platform, "Гасан кызы") == "male"


async def test_deleted_ending_no_longer_guesses(platform: Platform) -> None:
    items = (await platform.client.get(ENDINGS, headers=platform.admin_headers)).json()["items"]
    ending_id = next(e["id"] for e in items if e["ending"] == "оглы")
    response = await platform.client.delete(f"{ENDINGS}/{ending_id}", headers=platform.admin_headers)
    assert response.status_code == 204
    assert await guess(platform, "Мамед оглы") is None
