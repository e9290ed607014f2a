"""No privilege escalation (GW-2, GW-3): a user grants only rights it holds, manages only users
and roles within its own rights; the admin role and the last full administrator stay; every
change is in the audit log; weak passwords are refused."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

PASSWORD = "Sturdy-Password-91"


async def token(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def user_with(client: httpx.AsyncClient, rights: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A user whose own role holds `rights`, and its headers."""
    name = f"r{uuid.uuid4().hex[:8]}"
    assert (await client.post("/api/auth/roles", json={"name": name, "rights": rights})).status_code == 201
    created = await client.post("/api/auth/users", json={"username": name, "password": PASSWORD, "roles": [name]})
    assert created.status_code == 201, created.text
    return created.json(), await token(client, name)


async def admin_id(client: httpx.AsyncClient) -> str:
    users = (await client.get("/api/auth/users")).json()["items"]
    return next(u["id"] for u in users if u["username"] == "admin")


async def role_id(client: httpx.AsyncClient, name: str) -> str:
    roles = (await client.get("/api/auth/roles")).json()["items"]
    return next(r["id"] for r in roles if r["name"] == name)


async def test_a_user_manager_cannot_create_an_admin_user(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        _, manager = await user_with(client, ["gateway.users"])
        response = await client.post(
            "/api/auth/users", json={"username": "mallory", "password": PASSWORD, "roles": ["admin"]}, headers=manager
        )
    assert response.status_code == 403
    assert response.json()["missing_rights"] == ["*"]


async def test_a_user_manager_cannot_create_a_role_with_every_right(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        _, manager = await user_with(client, ["gateway.users"])
        response = await client.post("/api/auth/roles", json={"name": "super", "rights": ["*"]}, headers=manager)
    assert response.status_code == 403


async def test_a_user_manager_cannot_widen_its_own_role(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        me, manager = await user_with(client, ["gateway.users"])
        own_role = await role_id(client, me["roles"][0])
        response = await client.patch(
            f"/api/auth/roles/{own_role}", json={"rights": ["gateway.users", "echo.read"]}, headers=manager
        )
        unchanged = (await client.get("/api/auth/roles")).json()["items"]
    assert response.status_code == 403
    assert next(r for r in unchanged if r["id"] == own_role)["rights"] == ["gateway.users"]


async def test_a_user_manager_may_grant_rights_it_holds(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        _, manager = await user_with(client, ["gateway.users", "echo.read"])
        role = await client.post("/api/auth/roles", json={"name": "reader", "rights": ["echo.read"]}, headers=manager)
        user = await client.post(
            "/api/auth/users", json={"username": "reader1", "password": PASSWORD, "roles": ["reader"]}, headers=manager
        )
    assert (role.status_code, user.status_code) == (201, 201)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PATCH", "", {"password": "Brand-New-Secret-55"}),
        ("PATCH", "", {"active": False}),
        ("DELETE", "", None),
        ("POST", "/logout", None),
    ],
    ids=["reset-password", "deactivate", "delete", "log-out"],
)
async def test_a_user_manager_cannot_act_on_the_admin(
    gateway_factory: Any, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    async with gateway_factory() as client:
        _, manager = await user_with(client, ["gateway.users"])
        target = await admin_id(client)
        response = await client.request(method, f"/api/auth/users/{target}{suffix}", json=body, headers=manager)
        still_admin = await client.post(
            "/api/auth/token", data={"username": "admin", "password": "admin-test-password"}
        )
    assert response.status_code == 403
    assert still_admin.status_code == 200


async def test_the_admin_role_cannot_be_deleted(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.delete(f"/api/auth/roles/{await role_id(client, 'admin')}")
    assert response.status_code == 409


async def test_the_admin_role_cannot_be_emptied(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.patch(f"/api/auth/roles/{await role_id(client, 'admin')}", json={"rights": []})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "rights"


async def test_the_last_full_administrator_cannot_be_deactivated_by_another_admin(gateway_factory: Any) -> None:
    """Two admins: one may deactivate the other, but not the last one left."""
    async with gateway_factory() as client:
        second = await client.post(
            "/api/auth/users", json={"username": "admin2", "password": PASSWORD, "roles": ["admin"]}
        )
        as_second = await token(client, "admin2")
        first_out = await client.patch(
            f"/api/auth/users/{await admin_id(client)}", json={"active": False}, headers=as_second
        )
        own_role_gone = await client.patch(
            f"/api/auth/users/{second.json()['id']}", json={"roles": ["receptionist"]}, headers=as_second
        )
    assert first_out.status_code == 200
    assert own_role_gone.status_code == 409


async def test_the_role_of_the_last_active_full_administrator_cannot_be_deleted(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        super_role = await client.post("/api/auth/roles", json={"name": "super", "rights": ["*"]})
        await client.post("/api/auth/users", json={"username": "admin2", "password": PASSWORD, "roles": ["super"]})
        as_second = await token(client, "admin2")
        await client.patch(f"/api/auth/users/{await admin_id(client)}", json={"active": False}, headers=as_second)
        response = await client.delete(f"/api/auth/roles/{super_role.json()['id']}", headers=as_second)
        still = await client.get("/api/auth/roles", headers=as_second)
    assert response.status_code == 409
    assert "super" in [r["name"] for r in still.json()["items"]]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password2024", "common"),
        ("qwerty123", "common"),
        ("aaaaaaaaaa", "repeated"),
        ("12345678", "run"),
        ("Пароль2026!", "common"),
        ("xx-nurse-anna-xx", "username"),
    ],
)
async def test_weak_passwords_are_refused_naming_the_field(gateway_factory: Any, password: str, reason: str) -> None:
    async with gateway_factory() as client:
        response = await client.post(
            "/api/auth/users", json={"username": "nurse-anna", "password": password, "roles": []}
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"
    assert reason in response.json()["errors"][0]["message"]


async def test_a_user_changes_their_own_password_and_their_other_sessions_end(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        me, first = await user_with(client, ["echo.read"])
        second = await token(client, me["username"])
        changed = await client.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "Completely-Different-83"},
            headers=second,
        )
        statuses = [(await client.get("/api/echo/echo/x", headers=h)).status_code for h in (first, second)]
        old = await client.post("/api/auth/token", data={"username": me["username"], "password": PASSWORD})
    assert changed.status_code == 204
    assert statuses == [401, 200]
    assert old.status_code == 401


async def test_every_change_of_users_and_roles_is_in_the_audit_log(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        role = await client.post("/api/auth/roles", json={"name": "readers", "rights": ["echo.read"]})
        user = await client.post("/api/auth/users", json={"username": "nina", "password": PASSWORD, "roles": []})
        await client.patch(f"/api/auth/users/{user.json()['id']}", json={"roles": ["readers"]})
        await client.patch(f"/api/auth/users/{user.json()['id']}", json={"password": "Changed-Pass-Word-77"})
        await client.patch(f"/api/auth/roles/{role.json()['id']}", json={"rights": []})
        await client.delete(f"/api/auth/users/{user.json()['id']}")
        await client.delete(f"/api/auth/roles/{role.json()['id']}")
        log = (await client.get("/api/auth/audit", params={"limit": 100})).json()["items"]
    changes = [
        (e["action"], e["target_name"], e["actor_username"]) for e in reversed(log) if e["action"] != "login.succeeded"
    ]
    assert changes == [
        ("role.created", "readers", "admin"),
        ("user.created", "nina", "admin"),
        ("user.updated", "nina", "admin"),
        ("user.password_changed", "nina", "admin"),
        ("role.updated", "readers", "admin"),
        ("user.deleted", "nina", "admin"),
        ("role.deleted", "readers", "admin"),
    ]
    updated = next(e for e in log if e["action"] == "role.updated")
    assert updated["details"]["rights"] == {"before": ["echo.read"], "after": []}
    assert all("Changed-Pass-Word-77" not in str(e) for e in log)


async def test_the_audit_log_needs_its_own_right(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        _, manager = await user_with(client, ["gateway.users"])
        _, auditor = await user_with(client, ["gateway.audit"])
        refused = await client.get("/api/auth/audit", headers=manager)
        allowed = await client.get("/api/auth/audit", params={"action": "login.failed"}, headers=auditor)
    assert refused.status_code == 403 and refused.json()["missing_right"] == "gateway.audit"
    assert allowed.status_code == 200


async def test_a_failed_login_is_in_the_audit_log(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        await client.post("/api/auth/token", data={"username": "admin", "password": "not-it"})
        log = (await client.get("/api/auth/audit", params={"action": "login.failed"})).json()["items"]
    assert [(e["target_name"], e["actor_id"]) for e in log] == [("admin", None)]
