"""Login, tokens, users and roles through the gateway (GW-2, GW-3)."""

from __future__ import annotations

import time

import jwt

from clinic_shared.auth import sign_token
from clinic_shared.testing.platform import Platform


async def test_login_with_right_password_returns_bearer_token(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/auth/token", data={"username": "admin", "password": "admin-test-password"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["iss"] == "clinic-gateway" and claims["aud"] == "clinic-api"
    assert claims["exp"] > time.time()
    assert "*" in claims["rights"]


async def test_login_with_wrong_password_is_401_problem(platform: Platform) -> None:
    response = await platform.client.post("/api/auth/token", data={"username": "admin", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


async def test_login_without_form_fields_names_the_missing_field(platform: Platform) -> None:
    response = await platform.client.post("/api/auth/token", data={"username": "admin"})
    assert response.status_code == 422
    assert {"field": "password", "code": "missing", "message": "Field required"} in response.json()["errors"]


async def test_me_without_token_is_401(platform: Platform) -> None:
    response = await platform.client.get("/api/auth/me")
    assert response.status_code == 401


async def test_me_with_token_lists_rights(platform: Platform) -> None:
    response = await platform.client.get("/api/auth/me", headers=platform.admin_headers)
    assert response.status_code == 200
    assert response.json()["username"] == "admin"


async def test_roles_list_shows_default_roles_and_rights(platform: Platform) -> None:
    response = await platform.client.get("/api/auth/roles", headers=platform.admin_headers)
    assert response.status_code == 200
    roles = {r["name"]: r["rights"] for r in response.json()["items"]}
    assert roles["admin"] == ["*"]
    assert "patients.read" in roles["receptionist"]


async def test_created_user_can_log_in_with_role_rights(platform: Platform) -> None:
    headers = await platform.headers_with(["gateway.users"])
    me = await platform.client.get("/api/auth/me", headers=headers)
    assert me.json()["rights"] == ["gateway.users"]


async def test_user_without_right_gets_403_naming_it(platform: Platform) -> None:
    headers = await platform.headers_with([])
    response = await platform.client.get("/api/auth/users", headers=headers)
    assert response.status_code == 403
    assert response.json()["missing_right"] == "gateway.users"


async def test_duplicate_username_is_409(platform: Platform) -> None:
    body = {"username": "dup", "password": "long-enough-1", "roles": []}
    first = await platform.client.post("/api/auth/users", json=body, headers=platform.admin_headers)
    second = await platform.client.post("/api/auth/users", json=body, headers=platform.admin_headers)
    assert (first.status_code, second.status_code) == (201, 409)


async def test_unknown_role_on_user_is_422_naming_roles(platform: Platform) -> None:
    body = {"username": "someone", "password": "long-enough-1", "roles": ["astronaut"]}
    response = await platform.client.post("/api/auth/users", json=body, headers=platform.admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "roles"


async def test_role_with_unknown_right_is_refused(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/auth/roles", json={"name": "typo", "rights": ["gateway.userz"]}, headers=platform.admin_headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rights"


async def test_deactivated_user_cannot_log_in(platform: Platform) -> None:
    created = await platform.client.post(
        "/api/auth/users",
        json={"username": "leaver", "password": "long-enough-1", "roles": []},
        headers=platform.admin_headers,
    )
    await platform.client.patch(
        f"/api/auth/users/{created.json()['id']}", json={"active": False}, headers=platform.admin_headers
    )
    response = await platform.client.post("/api/auth/token", data={"username": "leaver", "password": "long-enough-1"})
    assert response.status_code == 401


async def test_token_signed_with_another_key_is_refused(platform: Platform) -> None:
    from clinic_shared.auth import generate_keypair

    foreign = sign_token(
        generate_keypair()[0],
        user_id=__import__("uuid").uuid4(),
        username="x",
        rights=["*"],
        issuer="clinic-gateway",
        audience="clinic-api",
    )
    response = await platform.client.get("/api/auth/me", headers={"Authorization": f"Bearer {foreign}"})
    assert response.status_code == 401


async def test_token_with_wrong_algorithm_is_refused(platform: Platform) -> None:
    forged = jwt.encode(
        {
            "sub": "00000000-0000-0000-0000-000000000000",
            "rights": ["*"],
            "iss": "clinic-gateway",
            "aud": "clinic-api",
            "exp": int(time.time()) + 60,
            "iat": int(time.time()),
        },
        "secret",
        algorithm="HS256",
    )
    response = await platform.client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


async def test_expired_token_is_refused(platform: Platform, jwt_keys: tuple[str, str]) -> None:
    import uuid

    expired = sign_token(
        jwt_keys[0],
        user_id=uuid.uuid4(),
        username="x",
        rights=["*"],
        issuer="clinic-gateway",
        audience="clinic-api",
        ttl_seconds=-120,
    )
    response = await platform.client.get("/api/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_token_for_another_audience_is_refused(platform: Platform, jwt_keys: tuple[str, str]) -> None:
    import uuid

    other = sign_token(
        jwt_keys[0], user_id=uuid.uuid4(), username="x", rights=["*"], issuer="clinic-gateway", audience="someone-else"
    )
    response = await platform.client.get("/api/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 401
