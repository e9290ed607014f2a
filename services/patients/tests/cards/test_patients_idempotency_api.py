"""POST /cards with an Idempotency-Key creates the card once, however often it is sent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from clinic_shared.testing.platform import Platform

CARDS = "/api/patients/cards"
Payload = Callable[..., dict[str, Any]]


async def post_with_key(
    platform: Platform, body: dict[str, Any], key: str, headers: dict[str, str] | None = None
) -> Any:
    return await platform.client.post(
        CARDS, json=body, headers={**(headers or platform.admin_headers), "Idempotency-Key": key}
    )


async def test_repeated_request_returns_the_same_card(platform: Platform, new_card_payload: Payload) -> None:
    key = str(uuid.uuid4())
    first = await post_with_key(platform, new_card_payload(last_name="Повторов"), key)
    second = await post_with_key(platform, new_card_payload(last_name="Повторов"), key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    search = await platform.client.get(CARDS, params={"q": "повторов"}, headers=platform.admin_headers)
    assert search.json()["total"] == 1


async def test_concurrent_requests_with_one_key_create_one_card(platform: Platform, new_card_payload: Payload) -> None:
    key = str(uuid.uuid4())
    responses = await asyncio.gather(
        *(post_with_key(platform, new_card_payload(last_name="Гонкин"), key) for _ in range(4))
    )
    created = [r for r in responses if r.status_code == 201]
    assert created and {r.json()["id"] for r in created} == {created[0].json()["id"]}
    assert all(r.status_code in (201, 409) for r in responses)
    search = await platform.client.get(CARDS, params={"q": "гонкин"}, headers=platform.admin_headers)
    assert search.json()["total"] == 1


async def test_different_keys_create_different_cards(platform: Platform, new_card_payload: Payload) -> None:
    first = await post_with_key(platform, new_card_payload(), str(uuid.uuid4()))
    second = await post_with_key(platform, new_card_payload(), str(uuid.uuid4()))
    assert first.json()["id"] != second.json()["id"]


async def test_another_users_key_is_their_own(platform: Platform, new_card_payload: Payload) -> None:
    key = str(uuid.uuid4())
    first = await post_with_key(platform, new_card_payload(), key)
    other = await platform.headers_with(["patients.read", "patients.write"])
    second = await post_with_key(platform, new_card_payload(), key, headers=other)
    assert first.json()["id"] != second.json()["id"]


async def test_refused_request_does_not_use_up_the_key(platform: Platform, new_card_payload: Payload) -> None:
    key = str(uuid.uuid4())
    assert (await post_with_key(platform, new_card_payload(sex="x"), key)).status_code == 422
    assert (await post_with_key(platform, new_card_payload(), key)).status_code == 201
