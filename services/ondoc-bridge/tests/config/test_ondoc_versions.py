"""Safe concurrent edits in the ONDOC bridge (#15): the settings and the mappings answer GET with
an ETag; PUT/DELETE honour If-Match (412 with the current version); the settings require it
from users (428), and errors carry their code in the client's language."""

from __future__ import annotations

import uuid

import pytest
from ondoc_testkit import ONDOC

from clinic_shared.testing.platform import Platform

SETTINGS = f"{ONDOC}/settings"
MAPPINGS = f"{ONDOC}/mappings"


@pytest.fixture
def platform_services() -> list[str]:
    return ["ondoc"]


def admin(platform: Platform, if_match: str | None = None) -> dict[str, str]:
    return {**platform.admin_headers, **({"If-Match": if_match} if if_match is not None else {})}


async def test_two_administrators_changing_the_settings_the_second_gets_412(platform: Platform) -> None:
    read = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    etag = read.headers["ETag"]
    assert etag == f'"{read.json()["version"]}"'

    first = await platform.client.put(SETTINGS, json={"refresh_interval_minutes": 15}, headers=admin(platform, etag))
    second = await platform.client.put(SETTINGS, json={"refresh_interval_minutes": 30}, headers=admin(platform, etag))

    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{first.json()["version"]}"' != etag
    assert second.status_code == 412
    assert second.json()["code"] == "version-mismatch"
    assert second.json()["current_version"] == str(first.json()["version"])
    after = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert after.json()["refresh_interval_minutes"] == 15 and after.headers["ETag"] == first.headers["ETag"]


async def test_a_settings_change_without_if_match_is_refused_with_428(platform: Platform) -> None:
    before = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    response = await platform.client.put(SETTINGS, json={"refresh_interval_minutes": 15}, headers=admin(platform))
    assert response.status_code == 428
    assert response.json()["code"] == "if-match-required" and response.json()["etag"] == before.headers["ETag"]
    assert (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json() == before.json()


async def test_a_mapping_has_an_etag_and_a_stale_change_or_deletion_is_refused(platform: Platform) -> None:
    url = f"{MAPPINGS}/doctors/{uuid.uuid4()}"
    created = await platform.client.put(url, json={"ondoc_id": "D-1"}, headers=admin(platform))
    etag = created.headers["ETag"]
    assert (
        created.status_code == 200 and (await platform.client.get(url, headers=admin(platform))).headers["ETag"] == etag
    )

    changed = await platform.client.put(url, json={"ondoc_id": "D-2"}, headers=admin(platform, etag))
    stale_put = await platform.client.put(url, json={"ondoc_id": "D-3"}, headers=admin(platform, etag))
    stale_delete = await platform.client.delete(url, headers=admin(platform, etag))

    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert stale_put.status_code == 412 and stale_put.json()["etag"] == changed.headers["ETag"]
    assert stale_delete.status_code == 412
    assert (await platform.client.get(url, headers=admin(platform))).json()["ondoc_id"] == "D-2"
    assert (await platform.client.delete(url, headers=admin(platform, changed.headers["ETag"]))).status_code == 204


async def test_a_precondition_on_a_mapping_deleted_since_fails(platform: Platform) -> None:
    url = f"{MAPPINGS}/services/{uuid.uuid4()}"
    etag = (await platform.client.put(url, json={"ondoc_id": "S-1"}, headers=admin(platform))).headers["ETag"]
    assert (await platform.client.delete(url, headers=admin(platform))).status_code == 204

    response = await platform.client.put(url, json={"ondoc_id": "S-2"}, headers=admin(platform, etag))

    assert response.status_code == 412
    assert (await platform.client.get(url, headers=admin(platform))).status_code == 404


async def test_a_mapping_conflict_has_its_code_in_russian_by_default_and_in_english_on_request(
    platform: Platform,
) -> None:
    await platform.client.put(f"{MAPPINGS}/doctors/{uuid.uuid4()}", json={"ondoc_id": "D-9"}, headers=admin(platform))
    url = f"{MAPPINGS}/doctors/{uuid.uuid4()}"

    russian = await platform.client.put(
        url, json={"ondoc_id": "D-9"}, headers={**admin(platform), "Accept-Language": ""}
    )
    english = await platform.client.put(
        url, json={"ondoc_id": "D-9"}, headers={**admin(platform), "Accept-Language": "en"}
    )

    assert russian.status_code == english.status_code == 409
    assert russian.json()["code"] == english.json()["code"] == "ondoc-item-already-mapped"
    assert russian.headers["content-language"] == "ru"
    assert russian.json()["detail"] == "Этот элемент ONDOC уже сопоставлен с другим элементом нашего справочника."
    assert english.json()["detail"] == "This ONDOC item is already mapped to another of our items."


async def test_switching_on_without_tokens_names_the_fields_in_russian(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS,
        json={"enabled": True, "company_token": ""},
        headers={**admin(platform, "*"), "Accept-Language": "ru"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "company_token",
            "code": "required_while_enabled",
            "message": "обязательно, пока интеграция включена (enabled = true)",
        }
    ]
    assert response.json()["detail"] == "Чтобы включить ONDOC, заполните: company_token"
