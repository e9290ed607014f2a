"""A verified token is remembered until it expires: the same caller without checking the
signature again, and never past its `exp`."""

from __future__ import annotations

import time
import uuid

import pytest
from pydantic import SecretStr

from clinic_shared import auth
from clinic_shared.auth import TokenVerifier, generate_keypair, sign_token
from clinic_shared.errors import Unauthorized
from clinic_shared.settings import ServiceSettings

PRIVATE, PUBLIC = generate_keypair()
OTHER_PRIVATE, _ = generate_keypair()


def verifier() -> TokenVerifier:
    return TokenVerifier.from_settings(PUBLIC, ServiceSettings(jwt_public_key=SecretStr(PUBLIC)))


def token(private_key: str = PRIVATE, ttl_seconds: int = 600, username: str = "registrar") -> str:
    return sign_token(
        private_key,
        user_id=uuid.uuid4(),
        username=username,
        rights=["scheduling.read"],
        issuer="clinic-gateway",
        audience="clinic-api",
        ttl_seconds=ttl_seconds,
    )


def test_a_token_verified_again_names_the_same_caller_without_checking_the_signature(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks = verifier()
    issued = token()
    first = checks.verify(issued)
    monkeypatch.setattr(auth.jwt, "decode", lambda *a, **k: pytest.fail("the signature was checked again"))
    assert checks.verify(issued) is first


def test_a_remembered_token_is_refused_once_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = verifier()
    issued = token(ttl_seconds=60)
    checks.verify(issued)
    later = time.time() + 61
    monkeypatch.setattr(auth.time, "time", lambda: later)
    with pytest.raises(Unauthorized, match="expired"):
        checks.verify(issued)
    assert issued not in checks._verified  # forgotten: a later use is checked in full


def test_a_token_signed_with_another_key_is_refused_even_for_a_remembered_caller() -> None:
    checks = verifier()
    checks.verify(token())
    with pytest.raises(Unauthorized, match="invalid"):
        checks.verify(token(OTHER_PRIVATE))


def test_a_refused_token_is_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = verifier()
    forged = token(OTHER_PRIVATE)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            checks.verify(forged)
    assert forged not in checks._verified


def test_the_memory_keeps_only_the_most_recently_used_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_CACHE_SIZE", 3)
    checks = verifier()
    issued = [token(username=f"user{i}") for i in range(4)]
    for one in issued[:3]:
        checks.verify(one)
    checks.verify(issued[0])  # used again: now the most recent
    checks.verify(issued[3])  # pushes out the least recently used, issued[1]
    assert set(checks._verified) == {issued[0], issued[2], issued[3]}
