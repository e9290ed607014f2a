"""Safe concurrent edits of cards (#15): ETag on reads, If-Match on edits (412 stale, 428 missing),
and `updated_since` for clients that poll."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from clinic_shared.auth import Principal
from clinic_shared.testing.platform import Platform
from patients.cards import service as card_service
from patients.cards.schemas import CardUpdate

CARDS = "/api/patients/cards"
SETTINGS = "/api/patients/settings"
ENDINGS = "/api/patients/sex-endings"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]
ISSUE = {"recipient_kind": "department", "recipient_name": "Терапия"}


async def etag_of(platform: Platform, card_id: str) -> str:
    response = await platform.client.get(f"{CARDS}/{card_id}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


async def test_a_card_read_has_its_version_as_etag(platform: Platform, create_card: CreateCard) -> None:
    created = await platform.client.post(
        CARDS, json={"last_name": "Смирнова", "first_name": "Анна"}, headers=platform.admin_headers
    )
    assert created.headers["etag"] == '"1"'
    assert await etag_of(platform, created.json()["id"]) == '"1"'


async def test_two_receptionists_editing_the_same_card(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card(note="до")
    url = f"{CARDS}/{card['id']}"
    first = await platform.headers_with(["patients.read", "patients.write"])
    second = await platform.headers_with(["patients.read", "patients.write"])
    first_read = await platform.client.get(url, headers=first)
    second_read = await platform.client.get(url, headers=second)
    assert first_read.headers["etag"] == second_read.headers["etag"] == '"1"'

    changed = await platform.client.patch(
        url, json={"note": "первая"}, headers={**first, "If-Match": first_read.headers["etag"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"' and changed.json()["version"] == 2

    stale = await platform.client.patch(
        url,
        json={"mobile_phone": "+7 922 000 00 00", "note": "вторая"},
        headers={**second, "If-Match": second_read.headers["etag"]},
    )
    assert stale.status_code == 412, stale.text
    problem = stale.json()
    assert problem["code"] == "version-mismatch" and problem["type"] == "/problems/version-mismatch"
    assert problem["current_version"] == "2" and problem["etag"] == '"2"'

    now = (await platform.client.get(url, headers=second)).json()
    assert now["note"] == "первая" and now["version"] == 2
    assert now["mobile_phone"] == card["mobile_phone"]
    # Reloaded, the second receptionist makes the change again.
    again = await platform.client.patch(url, json={"note": "вторая"}, headers={**second, "If-Match": '"2"'})
    assert again.status_code == 200 and again.json()["note"] == "вторая"


EDITS = [
    ("PATCH", "", {"note": "x"}),
    ("DELETE", "", None),
    ("POST", "/restore", None),
    ("POST", "/issues", ISSUE),
    ("POST", "/return", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), EDITS, ids=[f"{m} {s or '/'}" for m, s, _ in EDITS])
async def test_a_card_edit_without_if_match_is_428_and_changes_nothing(
    platform: Platform, create_card: CreateCard, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    card = await create_card()
    url = f"{CARDS}/{card['id']}"
    response = await platform.client.request(method, url + suffix, json=body, headers=platform.admin_headers)
    assert response.status_code == 428, response.text
    assert response.json()["code"] == "if-match-required" and response.json()["current_version"] == "1"
    assert await etag_of(platform, card["id"]) == '"1"'


@pytest.mark.parametrize(("method", "suffix", "body"), EDITS, ids=[f"{m} {s or '/'}" for m, s, _ in EDITS])
async def test_a_card_edit_from_another_version_is_412_and_changes_nothing(
    platform: Platform, create_card: CreateCard, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    card = await create_card()
    url = f"{CARDS}/{card['id']}"
    # Make each edit possible in the state the card is in: restore needs it deleted, return needs it out.
    if suffix == "/restore":
        await platform.client.delete(url, headers={**platform.admin_headers, "If-Match": '"1"'})
    if suffix == "/return":
        await platform.client.post(f"{url}/issues", json=ISSUE, headers={**platform.admin_headers, "If-Match": '"1"'})
    current = await etag_of(platform, card["id"])
    headers = {**platform.admin_headers, "If-Match": '"99"'}
    response = await platform.client.request(method, url + suffix, json=body, headers=headers)
    assert response.status_code == 412, response.text
    assert response.json()["etag"] == current
    assert await etag_of(platform, card["id"]) == current
    matching = await platform.client.request(
        method, url + suffix, json=body, headers={**platform.admin_headers, "If-Match": current}
    )
    assert matching.status_code in (200, 201, 204), matching.text
    assert matching.headers["etag"] == await etag_of(platform, card["id"]) != current


async def test_weak_and_listed_etags_match(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = {**platform.admin_headers, "If-Match": 'W/"1", "7"'}
    response = await platform.client.patch(f"{CARDS}/{card['id']}", json={"vip": True}, headers=headers)
    assert response.status_code == 200, response.text


async def test_repeating_a_delete_with_the_old_etag_succeeds(platform: Platform, create_card: CreateCard) -> None:
    """A retry after a lost answer: the card is already deleted, so there is nothing to conflict with."""
    card = await create_card()
    headers = {**platform.admin_headers, "If-Match": '"1"'}
    for _ in range(2):
        response = await platform.client.delete(f"{CARDS}/{card['id']}", headers=headers)
        assert response.status_code == 204 and response.headers["etag"] == '"2"'


async def test_a_service_acting_on_its_own_behalf_needs_no_if_match(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    runtime = platform.app.state.embedded_apps["patients"].state.runtime
    bridge = Principal(user_id=uuid.uuid4(), username="ondoc-bridge", service="ondoc-bridge")
    async with runtime.db.session() as session:
        changed = await card_service.update_card(
            session, runtime=runtime, principal=bridge, card_id=uuid.UUID(card["id"]), data=CardUpdate(vip=True)
        )
        assert changed.version == 2


async def test_the_card_settings_need_if_match(platform: Platform) -> None:
    read = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    etag = read.headers["etag"]
    body = {"required_fields_enabled": False, "card_out_days": 9}
    missing = await platform.client.put(SETTINGS, json=body, headers=platform.admin_headers)
    assert missing.status_code == 428
    stale = await platform.client.put(SETTINGS, json=body, headers={**platform.admin_headers, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["etag"] == etag
    saved = await platform.client.put(SETTINGS, json=body, headers={**platform.admin_headers, "If-Match": etag})
    assert saved.status_code == 200 and saved.json()["card_out_days"] == 9
    assert saved.headers["etag"] != etag
    assert (await platform.client.get(SETTINGS, headers=platform.admin_headers)).headers["etag"] == saved.headers[
        "etag"
    ]
    again = await platform.client.put(SETTINGS, json=body, headers={**platform.admin_headers, "If-Match": etag})
    assert again.status_code == 412


async def test_sex_endings_honour_if_match_without_requiring_it(platform: Platform) -> None:
    created = await platform.client.post(ENDINGS, json={"ending": "ыч", "sex": "male"}, headers=platform.admin_headers)
    assert created.status_code == 201 and created.headers["etag"] == '"1"' and created.json()["version"] == 1
    url = f"{ENDINGS}/{created.json()['id']}"
    changed = await platform.client.patch(url, json={"sex": "female"}, headers=platform.admin_headers)
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"' and changed.json()["version"] == 2
    stale = {**platform.admin_headers, "If-Match": '"1"'}
    assert (await platform.client.patch(url, json={"sex": "male"}, headers=stale)).status_code == 412
    assert (await platform.client.delete(url, headers=stale)).status_code == 412
    listed = (await platform.client.get(ENDINGS, headers=platform.admin_headers)).json()["items"]
    assert [(e["sex"], e["version"]) for e in listed if e["ending"] == "ыч"] == [("female", 2)]
    current = {**platform.admin_headers, "If-Match": '"2"'}
    assert (await platform.client.delete(url, headers=current)).status_code == 204


# --- updated_since --------------------------------------------------------------------------


async def test_updated_since_lists_the_cards_changed_since_deleted_ones_too(
    platform: Platform, create_card: CreateCard
) -> None:
    before = await create_card(last_name="Староверов")
    since = datetime.now(UTC)
    changed = await create_card(last_name="Изменённый")
    deleted = await create_card(last_name="Удалённый")
    untouched_since = await create_card(last_name="Новый")
    await platform.client.patch(
        f"{CARDS}/{changed['id']}", json={"note": "новое"}, headers={**platform.admin_headers, "If-Match": '"1"'}
    )
    await platform.client.delete(f"{CARDS}/{deleted['id']}", headers={**platform.admin_headers, "If-Match": '"1"'})

    response = await platform.client.get(
        CARDS, params={"updated_since": since.isoformat()}, headers=platform.admin_headers
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    ids = [item["id"] for item in items]
    assert before["id"] not in ids
    # Oldest change first: the new card, then the edit, then the deletion.
    assert ids == [untouched_since["id"], changed["id"], deleted["id"]]
    assert [item["deleted"] for item in items] == [False, False, True]
    later = datetime.now(UTC) + timedelta(seconds=1)
    response = await platform.client.get(
        CARDS, params={"updated_since": later.isoformat()}, headers=platform.admin_headers
    )
    assert response.json() == {"items": [], "total": 0}


async def test_updated_since_needs_an_offset(platform: Platform) -> None:
    response = await platform.client.get(
        CARDS, params={"updated_since": "2026-12-01T10:00:00"}, headers=platform.admin_headers
    )
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["updated_since"]


# --- the client's language ------------------------------------------------------------------


async def test_a_refused_card_edit_speaks_russian_by_default_and_english_on_request(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    url = f"{CARDS}/{card['id']}"
    await platform.client.delete(url, headers={**platform.admin_headers, "If-Match": "*"})
    headers = {**platform.admin_headers, "If-Match": "*"}
    russian = await platform.client.patch(url, json={"note": "x"}, headers={**headers, "Accept-Language": "ru"})
    assert russian.status_code == 409 and russian.headers["content-language"] == "ru"
    assert russian.json()["code"] == "card-deleted"
    assert russian.json()["title"] == "Карта удалена"  # the code's own title
    assert russian.json()["detail"] == "Карта удалена; восстановите её, чтобы изменить."
    english = await platform.client.patch(url, json={"note": "x"}, headers={**headers, "Accept-Language": "en"})
    assert english.json()["title"] == "The card is deleted" and english.json()["code"] == "card-deleted"
    assert english.json()["detail"] == "The card is deleted; restore it before editing."


async def test_a_stale_edit_is_explained_in_russian(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    headers = {**platform.admin_headers, "If-Match": '"5"', "Accept-Language": "ru-RU,ru;q=0.9"}
    response = await platform.client.patch(f"{CARDS}/{card['id']}", json={"vip": True}, headers=headers)
    assert response.status_code == 412
    assert response.json()["title"] == "Данные изменились"
    assert response.json()["detail"].startswith("Пока вы редактировали, данные изменил кто-то другой")
    assert response.json()["instance"] == f"{CARDS}/{card['id']}"


async def test_a_field_error_of_a_card_is_russian_with_its_code(platform: Platform) -> None:
    response = await platform.client.post(
        CARDS,
        json={"last_name": "Иванов", "first_name": "Иван", "mobile_phone": "12"},
        headers={**platform.admin_headers, "Accept-Language": ""},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "mobile_phone", "code": "invalid_phone", "message": "неверный номер телефона"}
    ]
