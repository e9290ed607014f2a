"""Forged and stale tokens are refused by every service, not only by the gateway's own routes.

gateway/tests/test_auth.py covers the gateway side (a foreign key, HS256 with a guessed secret,
expired, wrong audience on /api/auth/me); here each kind of forgery is tried on one route of
every service, since each service verifies tokens itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from clinic_shared.auth import sign_token
from clinic_shared.testing.platform import Platform

ROUTES = [
    "/api/auth/me",
    "/api/patients/cards",
    "/api/scheduling/doctors",
    "/api/notifier/schedules",
    "/api/ondoc/links",
    "/api/profexam/organizations",
    "/api/lab/labs",
]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    values = {
        "sub": str(uuid.uuid4()),
        "username": "mallory",
        "rights": ["*"],
        "iss": "clinic-gateway",
        "aud": "clinic-api",
        "iat": now,
        "exp": now + 600,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return head + "." + b64(signature)


def hs256_with_public_key(keys: tuple[str, str]) -> str:
    """Algorithm confusion: HMAC keyed with the (public) verification key."""
    signing_input = unsigned({"alg": "HS256", "typ": "JWT"}, claims()).rsplit(".", 1)[0]
    mac = hmac.new(keys[1].encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(mac)


def alg_none(_keys: tuple[str, str]) -> str:
    return unsigned({"alg": "none", "typ": "JWT"}, claims())


def rights_changed_after_signing(keys: tuple[str, str]) -> str:
    honest = sign_token(
        keys[0], user_id=uuid.uuid4(), username="u", rights=[], issuer="clinic-gateway", audience="clinic-api"
    )
    head, _payload, signature = honest.split(".")
    payload = jwt.decode(honest, options={"verify_signature": False}) | {"rights": ["*"]}
    return f"{head}.{b64(json.dumps(payload).encode())}.{signature}"


def signed(keys: tuple[str, str], **changes: Any) -> str:
    return jwt.encode(claims(**changes), keys[0], algorithm="EdDSA")


FORGERIES: dict[str, Callable[[tuple[str, str]], str]] = {
    "hs256-keyed-with-the-public-key": hs256_with_public_key,
    "alg-none": alg_none,
    "rights-changed-after-signing": rights_changed_after_signing,
    "another-issuer": lambda keys: signed(keys, iss="someone-else"),
    "another-audience": lambda keys: signed(keys, aud="someone-else"),
    "expired": lambda keys: signed(keys, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "without-exp": lambda keys: signed(keys, exp=None),
    "without-sub": lambda keys: signed(keys, sub=None),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
async def test_every_service_refuses_a_forged_or_stale_token(
    platform: Platform, jwt_keys: tuple[str, str], forgery: str
) -> None:
    headers = {"Authorization": f"Bearer {FORGERIES[forgery](jwt_keys)}"}
    answers = {route: (await platform.client.get(route, headers=headers)).status_code for route in ROUTES}
    assert answers == dict.fromkeys(ROUTES, 401)


async def test_every_service_accepts_an_honest_token_on_the_same_routes(
    platform: Platform, jwt_keys: tuple[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {signed(jwt_keys)}"}
    answers = {route: (await platform.client.get(route, headers=headers)).status_code for route in ROUTES}
    assert answers == dict.fromkeys(ROUTES, 200)
