"""Doctors' phones are normalised like card phones ('8 843 555 12 12' → 78435551212), with the
same validation messages as the patients service gives for a card's phone."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    return ["patients", "scheduling"]


async def card_phone_message(build: Any, phone: str) -> str:
    body = {"last_name": "Иванов", "first_name": "Иван", "mobile_phone": phone}
    response = await build.client.post("/api/patients/cards", json=body, headers=build.headers)
    assert response.status_code == 422, response.text
    return next(e["message"] for e in response.json()["errors"] if e["field"] == "mobile_phone")  # type: ignore[no-any-return]


async def test_a_doctor_created_with_a_local_phone_stores_it_normalised(build: Any) -> None:
    doctor = await build.doctor(phone="8 843 555 12 12")

    assert doctor["phone"] == "78435551212"
    assert (await build.get(f"/doctors/{doctor['id']}"))["phone"] == "78435551212"


async def test_a_doctor_updated_with_a_local_phone_stores_it_normalised(build: Any) -> None:
    doctor = await build.doctor()

    response = await build.edit(
        "PATCH", f"/doctors/{doctor['id']}", json={"phone": "8 (843) 555-12-12"}, headers=build.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "78435551212"


async def test_an_empty_phone_clears_it(build: Any) -> None:
    doctor = await build.doctor(phone="+7 843 555 12 12")

    response = await build.edit("PATCH", f"/doctors/{doctor['id']}", json={"phone": " "}, headers=build.headers)

    assert response.status_code == 200, response.text
    assert response.json()["phone"] is None


@pytest.mark.parametrize("phone", ["12", "телефон", "8 843 555 12 12 доб. 5"])
async def test_a_bad_phone_is_422_naming_the_field_with_the_cards_message(build: Any, phone: str) -> None:
    created = await build.client.post(
        f"{API}/doctors", json={"last_name": "Смирнова", "first_name": "Анна", "phone": phone}, headers=build.headers
    )
    doctor = await build.doctor()
    updated = await build.edit("PATCH", f"/doctors/{doctor['id']}", json={"phone": phone}, headers=build.headers)

    expected = await card_phone_message(build, phone)
    for response in (created, updated):
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [{"field": "phone", "code": "invalid_phone", "message": expected}]
    assert (await build.get(f"/doctors/{doctor['id']}"))["phone"] is None
