"""Directory phones (doctors', buildings') are normalised like card phones ('8 843 555 12 12' →
78435551212), with the same validation messages as the patients service gives for a card's
phone (#14); every phone field of every directory is."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

from scheduling.directories.registry import DIRECTORIES

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Each directory with a phone: its path, how the builder makes one, and a new one's body.
WITH_PHONES = [
    pytest.param("doctors", "doctor", {"last_name": "Смирнова", "first_name": "Анна"}, id="doctors"),
    pytest.param("buildings", "building", {"name": "Корпус на Ленина"}, id="buildings"),
]


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    return ["patients", "scheduling"]


async def card_phone_message(build: Any, phone: str) -> str:
    body = {"last_name": "Иванов", "first_name": "Иван", "mobile_phone": phone}
    response = await build.client.post("/api/patients/cards", json=body, headers=build.headers)
    assert response.status_code == 422, response.text
    return next(e["message"] for e in response.json()["errors"] if e["field"] == "mobile_phone")  # type: ignore[no-any-return]


async def test_every_phone_field_of_a_directory_is_normalised() -> None:
    typed = {
        spec.path: {name for name in (*spec.create.model_fields, *spec.update.model_fields) if "phone" in name}
        for spec in DIRECTORIES
    }
    assert {path: fields for path, fields in typed.items() if fields} == {
        spec.path: set(spec.phones) for spec in DIRECTORIES if spec.phones
    }


@pytest.mark.parametrize(("path", "maker", "body"), WITH_PHONES)
async def test_one_created_with_a_local_phone_stores_it_normalised(
    build: Any, path: str, maker: str, body: dict
) -> None:
    made = await getattr(build, maker)(phone="8 843 555 12 12")

    assert made["phone"] == "78435551212"
    assert (await build.get(f"/{path}/{made['id']}"))["phone"] == "78435551212"


@pytest.mark.parametrize(("path", "maker", "body"), WITH_PHONES)
async def test_one_updated_with_a_local_phone_stores_it_normalised(
    build: Any, path: str, maker: str, body: dict
) -> None:
    made = await getattr(build, maker)()

    response = await build.edit(
        "PATCH", f"/{path}/{made['id']}", json={"phone": "8 (843) 555-12-12"}, headers=build.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "78435551212"


@pytest.mark.parametrize(("path", "maker", "body"), WITH_PHONES)
async def test_an_empty_phone_clears_it(build: Any, path: str, maker: str, body: dict) -> None:
    made = await getattr(build, maker)(phone="+7 843 555 12 12")

    response = await build.edit("PATCH", f"/{path}/{made['id']}", json={"phone": " "}, headers=build.headers)

    assert response.status_code == 200, response.text
    assert response.json()["phone"] is None


@pytest.mark.parametrize("phone", ["12", "телефон", "8 843 555 12 12 доб. 5"])
@pytest.mark.parametrize(("path", "maker", "body"), WITH_PHONES)
async def test_a_bad_phone_is_422_naming_the_field_with_the_cards_message(
    build: Any, path: str, maker: str, body: dict, phone: str
) -> None:
    created = await build.client.post(f"{API}/{path}", json={**body, "phone": phone}, headers=build.headers)
    made = await getattr(build, maker)()
    updated = await build.edit("PATCH", f"/{path}/{made['id']}", json={"phone": phone}, headers=build.headers)

    expected = await card_phone_message(build, phone)
    for response in (created, updated):
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [{"field": "phone", "code": "invalid_phone", "message": expected}]
    assert (await build.get(f"/{path}/{made['id']}"))["phone"] is None
