"""Discount cards (PAT-7) through the gateway."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.events import DiscountCardIssued
from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]


async def issue(platform: Platform, card_id: str, body: dict[str, Any]) -> Any:
    return await platform.client.post(f"{CARDS}/{card_id}/discount-cards", json=body, headers=platform.admin_headers)


async def test_issued_card_keeps_number_and_percent(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await issue(platform, card["id"], {"number": "DC-100", "percent": "12.5"})
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], Decimal(body["percent"]), body["patient_id"]) == ("DC-100", Decimal("12.5"), card["id"])


async def test_card_without_a_number_gets_the_next_one(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    first = (await issue(platform, card["id"], {"percent": 5})).json()["number"]
    second = (await issue(platform, card["id"], {"percent": 5})).json()["number"]
    assert first != second and first.isdigit() and second.isdigit()


async def test_issuing_publishes_discount_card_issued(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    issued = (await issue(platform, card["id"], {"number": "777", "percent": 10})).json()
    event = await platform.wait_for_event("discount_card.issued", lambda e: e.aggregate_id == issued["id"])
    payload = event.payload()
    assert isinstance(payload, DiscountCardIssued)
    assert (str(payload.patient_id), payload.number, payload.percent) == (card["id"], "777", Decimal(10))


async def test_a_taken_number_is_409(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await issue(platform, card["id"], {"number": "555", "percent": 10})
    assert (await issue(platform, card["id"], {"number": "555", "percent": 10})).status_code == 409


async def test_percent_out_of_range_is_422_naming_it(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    for percent in (0, 101, "-5", "abc"):
        response = await issue(platform, card["id"], {"percent": percent})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["percent"]


async def test_deleted_patient_gets_no_discount_card(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    assert (await issue(platform, card["id"], {"percent": 5})).status_code == 409


async def test_unknown_patient_is_404(platform: Platform) -> None:
    assert (await issue(platform, str(uuid.uuid4()), {"percent": 5})).status_code == 404


async def test_patients_discount_cards_are_listed(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    other = await create_card(last_name="Другой")
    await issue(platform, card["id"], {"number": "A1", "percent": 5})
    await issue(platform, other["id"], {"number": "B1", "percent": 5})
    response = await platform.client.get(f"{CARDS}/{card['id']}/discount-cards", headers=platform.admin_headers)
    assert response.status_code == 200
    assert [c["number"] for c in response.json()["items"]] == ["A1"]


async def test_issuing_needs_the_discount_cards_right(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = await platform.headers_with(["patients.read", "patients.write"])
    response = await platform.client.post(f"{CARDS}/{card['id']}/discount-cards", json={"percent": 5}, headers=headers)
    assert response.status_code == 403
