"""Safe concurrent edits of the gateway's own resources (#15): users and the platform settings
answer GET with an ETag, roles show their `version`; PATCH/DELETE honour If-Match (412 with
the current version), and the platform settings require it (428). Errors carry their code and
speak the client's language."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from clinic_shared.clinic_time import set_clinic_zone
from clinic_shared.testing.platform import Platform

PASSWORD = "Versions-Test-Password-7"


@pytest.fixture
def moscow_again() -> Iterator[None]:
    """The zone is process-wide: leave it as the other tests expect it."""
    yield
    set_clinic_zone("Europe/Moscow")


async def new_user(platform: Platform) -> dict[str, Any]:
    response = await platform.client.post(
        "/api/auth/users",
        json={"username": f"u-{uuid.uuid4().hex[:8]}", "password": PASSWORD, "roles": []},
        headers=platform.admin_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def new_role(platform: Platform) -> dict[str, Any]:
    response = await platform.client.post(
        "/api/auth/roles",
        json={"name": f"r-{uuid.uuid4().hex[:8]}", "rights": ["gateway.audit"]},
        headers=platform.admin_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def admin(platform: Platform, if_match: str | None = None) -> dict[str, str]:
    return {**platform.admin_headers, **({"If-Match": if_match} if if_match is not None else {})}


# -- users ----------------------------------------------------------------------------------


async def test_two_administrators_editing_one_user_the_second_gets_412_with_the_current_version(
    platform: Platform,
) -> None:
    user = await new_user(platform)
    url = f"/api/auth/users/{user['id']}"
    read = await platform.client.get(url, headers=platform.admin_headers)
    etag = read.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    first = await platform.client.patch(url, json={"full_name": "Иванова А. А."}, headers=admin(platform, etag))
    second = await platform.client.patch(url, json={"full_name": "Петрова Б. Б."}, headers=admin(platform, etag))

    assert first.status_code == 200, first.text
    assert first.headers["ETag"] != etag
    assert second.status_code == 412
    problem = second.json()
    assert problem["code"] == "version-mismatch" and problem["etag"] == first.headers["ETag"]
    assert f'"{problem["current_version"]}"' == first.headers["ETag"]
    assert (await platform.client.get(url, headers=platform.admin_headers)).json()["full_name"] == "Иванова А. А."
    assert (await platform.client.get(url, headers=platform.admin_headers)).headers["ETag"] == first.headers["ETag"]


async def test_a_change_of_roles_alone_changes_the_users_etag(platform: Platform) -> None:
    user, role = await new_user(platform), await new_role(platform)
    url = f"/api/auth/users/{user['id']}"
    etag = (await platform.client.get(url, headers=platform.admin_headers)).headers["ETag"]
    changed = await platform.client.patch(url, json={"roles": [role["name"]]}, headers=admin(platform, etag))
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] != etag
    assert (await platform.client.get(url, headers=platform.admin_headers)).headers["ETag"] == changed.headers["ETag"]


async def test_user_edits_without_if_match_still_go_through(platform: Platform) -> None:
    user = await new_user(platform)
    url = f"/api/auth/users/{user['id']}"
    assert (
        await platform.client.patch(url, json={"full_name": "Без версии"}, headers=admin(platform))
    ).status_code == 200
    assert (await platform.client.delete(url, headers=admin(platform, "*"))).status_code == 204


async def test_deleting_a_user_changed_since_is_refused_with_412_and_keeps_them(platform: Platform) -> None:
    user = await new_user(platform)
    url = f"/api/auth/users/{user['id']}"
    stale = (await platform.client.get(url, headers=platform.admin_headers)).headers["ETag"]
    assert (await platform.client.patch(url, json={"active": False}, headers=admin(platform, stale))).status_code == 200

    refused = await platform.client.delete(url, headers=admin(platform, stale))

    assert refused.status_code == 412 and refused.json()["code"] == "version-mismatch"
    assert (await platform.client.get(url, headers=platform.admin_headers)).status_code == 200
    current = (await platform.client.get(url, headers=platform.admin_headers)).headers["ETag"]
    assert (await platform.client.delete(url, headers=admin(platform, current))).status_code == 204


# -- roles ----------------------------------------------------------------------------------


async def test_a_roles_version_is_its_etag_and_a_stale_one_is_refused(platform: Platform) -> None:
    role = await new_role(platform)
    url = f"/api/auth/roles/{role['id']}"
    assert role["version"] == 1

    changed = await platform.client.patch(url, json={"description": "Регистратура"}, headers=admin(platform, '"1"'))
    stale_patch = await platform.client.patch(url, json={"description": "Касса"}, headers=admin(platform, '"1"'))
    stale_delete = await platform.client.delete(url, headers=admin(platform, '"1"'))

    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2 and changed.headers["ETag"] == '"2"'
    assert stale_patch.status_code == 412 and stale_patch.json()["current_version"] == "2"
    assert stale_delete.status_code == 412
    [listed] = [
        r
        for r in (await platform.client.get("/api/auth/roles", headers=platform.admin_headers)).json()["items"]
        if r["id"] == role["id"]
    ]
    assert (listed["description"], listed["version"]) == ("Регистратура", 2)
    assert (await platform.client.delete(url, headers=admin(platform, '"2"'))).status_code == 204


# -- platform settings ----------------------------------------------------------------------


async def test_the_platform_settings_need_if_match_from_their_etag(platform: Platform, moscow_again: None) -> None:
    url = "/api/platform/settings"
    read = await platform.client.get(url, headers=platform.admin_headers)
    etag = read.headers["ETag"]

    missing = await platform.client.put(url, json={"timezone": "Europe/Samara"}, headers=admin(platform))
    changed = await platform.client.put(url, json={"timezone": "Europe/Samara"}, headers=admin(platform, etag))
    stale = await platform.client.put(url, json={"timezone": "Asia/Omsk"}, headers=admin(platform, etag))

    assert missing.status_code == 428
    assert missing.json()["code"] == "if-match-required" and missing.json()["etag"] == etag
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] != etag
    assert stale.status_code == 412 and stale.json()["etag"] == changed.headers["ETag"]
    after = await platform.client.get(url, headers=platform.admin_headers)
    assert after.json()["timezone"] == "Europe/Samara" and after.headers["ETag"] == changed.headers["ETag"]
    restored = await platform.client.put(url, json={"timezone": "Europe/Moscow"}, headers=admin(platform, "*"))
    assert restored.status_code == 200


# -- codes and languages --------------------------------------------------------------------


async def test_a_wrong_password_is_told_in_russian_by_default_and_in_english_on_request(platform: Platform) -> None:
    form = {"username": "admin", "password": "not-the-password"}
    russian = await platform.client.post("/api/auth/token", data=form, headers={"Accept-Language": ""})
    english = await platform.client.post("/api/auth/token", data=form, headers={"Accept-Language": "en"})

    assert russian.status_code == english.status_code == 401
    assert russian.json()["code"] == english.json()["code"] == "wrong-credentials"
    assert russian.json()["type"] == "/problems/wrong-credentials"
    assert russian.headers["content-language"] == "ru"
    assert russian.json()["title"] == "Неверное имя пользователя или пароль"  # the code's own title
    assert russian.json()["detail"] == "Неверное имя пользователя или пароль."
    assert english.json()["detail"] == "Wrong username or password."


async def test_a_field_error_of_the_gateway_has_its_code_and_russian_message(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/auth/roles",
        json={"name": f"r-{uuid.uuid4().hex[:8]}", "rights": ["nosuch.right"]},
        headers={**platform.admin_headers, "Accept-Language": "ru"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "rights", "code": "unknown_right", "message": "неизвестные права: nosuch.right"}
    ]
    assert response.json()["detail"] == "rights: неизвестные права: nosuch.right"


@pytest.mark.parametrize(
    ("action", "code"),
    [("delete-self", "own-account"), ("delete-admin-role", "admin-role-protected"), ("taken", "username-taken")],
)
async def test_refusals_of_user_management_have_their_codes(platform: Platform, action: str, code: str) -> None:
    me = (await platform.client.get("/api/auth/me", headers=platform.admin_headers)).json()
    if action == "delete-self":
        response = await platform.client.delete(f"/api/auth/users/{me['id']}", headers=platform.admin_headers)
    elif action == "delete-admin-role":
        roles = (await platform.client.get("/api/auth/roles", headers=platform.admin_headers)).json()["items"]
        [admin_role] = [r for r in roles if r["name"] == "admin"]
        response = await platform.client.delete(f"/api/auth/roles/{admin_role['id']}", headers=platform.admin_headers)
    else:
        response = await platform.client.post(
            "/api/auth/users", json={"username": "admin", "password": PASSWORD}, headers=platform.admin_headers
        )
    assert response.status_code == 409
    assert response.json()["code"] == code


async def test_an_invalid_refresh_token_has_its_code(platform: Platform) -> None:
    login = await platform.client.post("/api/auth/token", data={"username": "admin", "password": "admin-test-password"})
    platform.client.cookies.clear()
    first = login.json()["refresh_token"]
    assert (await platform.client.post("/api/auth/refresh", json={"refresh_token": first})).status_code == 200
    platform.client.cookies.clear()
    garbage = await platform.client.post("/api/auth/refresh", json={"refresh_token": "not-a-token"})
    assert garbage.status_code == 401 and garbage.json()["code"] == "refresh-token-invalid"
