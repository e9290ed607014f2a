"""Safe concurrent edits in the notifier (#15): ETag on reads; If-Match required on PUT /settings
(428 without), honoured on schedule edits (412 on another version); errors in the client's language."""

from __future__ import annotations

import uuid

import notifier_builders as build
from notifier_harness import API, Notifier

from clinic_shared.testing.platform import Platform

SETTINGS = f"{API}/settings"


async def test_two_administrators_changing_the_settings(platform: Platform) -> None:
    never_saved = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert never_saved.headers["etag"] == '"0"'

    missing = await platform.client.put(SETTINGS, json={"clinic_name": "Без версии"}, headers=platform.admin_headers)
    assert missing.status_code == 428 and missing.json()["code"] == "if-match-required"

    first = await platform.client.put(
        SETTINGS, json={"clinic_name": "Здоровье"}, headers={**platform.admin_headers, "If-Match": '"0"'}
    )
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"1"'

    second = await platform.client.put(
        SETTINGS, json={"clinic_name": "Другое имя"}, headers={**platform.admin_headers, "If-Match": '"0"'}
    )
    assert second.status_code == 412
    assert second.json()["code"] == "version-mismatch" and second.json()["current_version"] == "1"

    now = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert now.headers["etag"] == '"1"' and now.json()["clinic_name"] == "Здоровье"


async def test_a_missing_if_match_is_explained_in_the_clients_language(platform: Platform) -> None:
    russian = await platform.client.put(
        SETTINGS, json={"clinic_name": "x"}, headers={**platform.admin_headers, "Accept-Language": "ru"}
    )
    assert russian.status_code == 428 and russian.headers["content-language"] == "ru"
    assert russian.json()["title"] == "Нужна версия (If-Match)"
    assert russian.json()["detail"].startswith("Укажите версию, которую вы изменяете")
    assert russian.json()["instance"] == SETTINGS
    english = await platform.client.put(SETTINGS, json={"clinic_name": "x"}, headers=platform.admin_headers)
    assert english.json()["title"] == "Precondition required"
    assert english.json()["detail"] == "Send If-Match with the ETag of the version you changed (GET it first)."


async def test_an_unknown_schedule_is_named_in_russian(platform: Platform) -> None:
    schedule_id = uuid.uuid4()
    response = await platform.client.get(
        f"{API}/schedules/{schedule_id}", headers={**platform.admin_headers, "Accept-Language": "ru-RU"}
    )
    assert response.status_code == 404
    assert response.json()["detail"] == f"График рассылки {schedule_id} не найден."


async def test_a_field_error_of_a_schedule_has_its_code_and_russian_text(platform: Platform) -> None:
    body = build.schedule_body("days_before_appointment", template="Ждём вас %Nonsense%")
    response = await platform.client.post(
        f"{API}/schedules", json=body, headers={**platform.admin_headers, "Accept-Language": "ru"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "template", "code": "unknown_parameter", "message": "неизвестный параметр %Nonsense%"}
    ]


async def test_schedule_edits_honour_if_match(notifier: Notifier) -> None:
    created = await notifier.client.post(
        f"{API}/schedules", json=build.schedule_body("days_before_appointment", days=2), headers=notifier.headers
    )
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    url = f"{API}/schedules/{created.json()['id']}"
    assert (await notifier.client.get(url, headers=notifier.headers)).headers["etag"] == '"1"'

    # Not required: a PATCH without If-Match changes the schedule.
    changed = await notifier.client.patch(url, json={"days": 1}, headers=notifier.headers)
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'

    stale = {**notifier.headers, "If-Match": '"1"'}
    refused = await notifier.client.patch(url, json={"days": 3}, headers=stale)
    assert refused.status_code == 412 and refused.json()["current_version"] == "2"
    assert (await notifier.client.delete(url, headers=stale)).status_code == 412
    assert (await notifier.client.get(url, headers=notifier.headers)).json()["days"] == 1

    current = {**notifier.headers, "If-Match": '"2"'}
    again = await notifier.client.patch(url, json={"days": 3}, headers=current)
    assert again.status_code == 200 and again.headers["etag"] == '"3"'
    assert (await notifier.client.delete(url, headers={**notifier.headers, "If-Match": '"3"'})).status_code == 204
