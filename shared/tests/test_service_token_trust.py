"""Rules of token verification: user tokens only with the gateway's key, service tokens only with
the calling service's own key and within the rights that service is trusted with."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from pydantic import SecretStr, ValidationError

from clinic_shared.auth import (
    ALGORITHM,
    SERVICE_TOKEN_MAX_TTL_SECONDS,
    TokenVerifier,
    generate_keypair,
    service_issuer,
    sign_service_token,
    sign_token,
)
from clinic_shared.errors import Unauthorized
from clinic_shared.settings import ServiceSettings

GATEWAY_PRIVATE, GATEWAY_PUBLIC = generate_keypair()
ONDOC_PRIVATE, ONDOC_PUBLIC = generate_keypair()
ONDOC_RIGHTS = ["patients.read", "scheduling.read", "scheduling.write"]
AUDIENCE = "clinic-api"


def verifier(**trusted: dict[str, Any]) -> TokenVerifier:
    """A verifier built from settings the way every service builds it."""
    keys = trusted or {"ondoc": {"public_keys": [ONDOC_PUBLIC], "rights": ONDOC_RIGHTS}}
    settings = ServiceSettings(jwt_public_key=SecretStr(GATEWAY_PUBLIC), service_keys=keys)
    return TokenVerifier.from_settings(GATEWAY_PUBLIC, settings)


def user_token(private_key: str = GATEWAY_PRIVATE, rights: list[str] | None = None, **kwargs: Any) -> str:
    return sign_token(
        private_key,
        user_id=uuid.uuid4(),
        username="registrar",
        rights=rights if rights is not None else ["*"],
        issuer="clinic-gateway",
        audience=AUDIENCE,
        **kwargs,
    )


def ondoc_token(private_key: str = ONDOC_PRIVATE, rights: list[str] | None = None, **kwargs: Any) -> str:
    return sign_service_token(
        private_key, service="ondoc", rights=rights if rights is not None else ONDOC_RIGHTS, audience=AUDIENCE, **kwargs
    )


def refusal(token: str, trusted: TokenVerifier | None = None) -> str:
    with pytest.raises(Unauthorized) as caught:
        (trusted or verifier()).verify(token)
    return str(caught.value.detail)


def test_a_user_token_signed_by_the_gateway_carries_its_rights() -> None:
    principal = verifier().verify(user_token(rights=["patients.read", "gateway.users"]))

    assert principal.rights == {"patients.read", "gateway.users"}
    assert principal.username == "registrar"
    assert principal.service is None


def test_a_service_token_signed_with_the_ondoc_key_carries_the_ondoc_rights() -> None:
    principal = verifier().verify(ondoc_token())

    assert principal.rights == set(ONDOC_RIGHTS)
    assert principal.service == "ondoc"
    assert principal.claims["iss"] == service_issuer("ondoc")


def test_a_service_token_may_claim_fewer_rights_than_trusted() -> None:
    assert verifier().verify(ondoc_token(rights=["scheduling.read"])).rights == {"scheduling.read"}


@pytest.mark.parametrize("extra_right", ["gateway.users", "scheduling.delete", "scheduling.*", "*"])
def test_a_service_token_claiming_a_right_beyond_its_trust_is_refused(extra_right: str) -> None:
    assert refusal(ondoc_token(rights=[*ONDOC_RIGHTS, extra_right])) == "The token is invalid."


def test_a_wildcard_in_the_trusted_rights_covers_the_rights_it_names() -> None:
    trusted = verifier(ondoc={"public_keys": [ONDOC_PUBLIC], "rights": ["scheduling.*"]})

    assert trusted.verify(ondoc_token(rights=["scheduling.write"])).rights == {"scheduling.write"}
    assert refusal(ondoc_token(rights=["patients.read"]), trusted) == "The token is invalid."


def test_a_service_token_signed_with_the_gateway_key_is_refused() -> None:
    assert refusal(ondoc_token(private_key=GATEWAY_PRIVATE)) == "The token is invalid."


def test_a_user_token_signed_with_a_service_key_is_refused() -> None:
    # What a compromised bridge would try: mint an administrator's token with its own key.
    assert refusal(user_token(private_key=ONDOC_PRIVATE)) == "The token is invalid."


def test_a_user_token_with_the_service_key_id_but_the_gateway_issuer_is_refused() -> None:
    token = user_token(private_key=ONDOC_PRIVATE, rights=["scheduling.read"], key_id="ondoc")

    assert refusal(token) == "The token is invalid."


def test_a_token_without_key_id_claiming_a_service_issuer_is_refused_even_with_the_gateway_key() -> None:
    token = sign_token(
        GATEWAY_PRIVATE,
        user_id=uuid.uuid4(),
        username="service:ondoc",
        rights=ONDOC_RIGHTS,
        issuer=service_issuer("ondoc"),
        audience=AUDIENCE,
    )

    assert refusal(token) == "The token is invalid."


def test_a_token_of_an_unknown_service_is_refused() -> None:
    lab_private, _ = generate_keypair()
    token = sign_service_token(lab_private, service="lab", rights=["scheduling.read"], audience=AUDIENCE)

    assert refusal(token) == "The token is invalid."


def test_a_service_token_signed_by_another_trusted_service_key_is_refused() -> None:
    lab_private, lab_public = generate_keypair()
    trusted = verifier(
        ondoc={"public_keys": [ONDOC_PUBLIC], "rights": ONDOC_RIGHTS},
        lab={"public_keys": [lab_public], "rights": ["scheduling.read"]},
    )

    assert refusal(ondoc_token(private_key=lab_private), trusted) == "The token is invalid."


def test_a_service_token_for_another_audience_is_refused() -> None:
    token = sign_service_token(ONDOC_PRIVATE, service="ondoc", rights=ONDOC_RIGHTS, audience="another-api")

    assert refusal(token) == "The token is invalid."


def test_an_expired_service_token_is_refused_as_expired() -> None:
    assert refusal(ondoc_token(ttl_seconds=-60)) == "The token has expired."


def test_a_long_lived_service_token_is_refused() -> None:
    assert refusal(ondoc_token(ttl_seconds=SERVICE_TOKEN_MAX_TTL_SECONDS + 60)) == "The token is invalid."


def test_during_a_rotation_tokens_of_the_old_and_the_new_service_key_are_accepted() -> None:
    new_private, new_public = generate_keypair()
    trusted = verifier(ondoc={"public_keys": [new_public, ONDOC_PUBLIC], "rights": ONDOC_RIGHTS})

    assert trusted.verify(ondoc_token(private_key=new_private)).service == "ondoc"
    assert trusted.verify(ondoc_token()).service == "ondoc"


def test_a_key_id_that_is_not_text_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {
        "sub": str(uuid.uuid4()),
        "rights": [],
        "iss": "service:ondoc",
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 60,
    }
    signing_input = f"{part({'alg': ALGORITHM, 'kid': 7})}.{part(claims)}"
    key = serialization.load_pem_private_key(ONDOC_PRIVATE.encode(), password=None)
    signature = base64.urlsafe_b64encode(key.sign(signing_input.encode())).rstrip(b"=").decode()  # type: ignore[call-arg, union-attr]

    assert refusal(f"{signing_input}.{signature}") == "The token is invalid."


def test_rights_that_are_not_a_list_of_names_are_refused() -> None:
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "rights": "*", "iss": "clinic-gateway", "aud": AUDIENCE, "iat": now}

    assert refusal(jwt.encode({**claims, "exp": now + 60}, GATEWAY_PRIVATE, algorithm=ALGORITHM)) == (
        "The token is invalid."
    )


def test_the_trusted_services_are_read_from_one_json_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_SERVICE_KEYS", json.dumps({"ondoc": {"public_keys": [ONDOC_PUBLIC], "rights": []}}))

    assert ServiceSettings().service_keys["ondoc"].public_keys == [ONDOC_PUBLIC]


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"public_keys": ["not a key"], "rights": []}, "public_keys"),
        ({"public_keys": [], "rights": []}, "public_keys"),
        ({"public_key": ONDOC_PUBLIC, "rights": []}, "public_key"),
    ],
)
def test_a_malformed_trusted_service_stops_the_settings_naming_the_field(entry: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceSettings(service_keys={"ondoc": entry})

    assert field in str(caught.value)


def test_a_trusted_key_that_is_not_ed25519_is_refused_at_start() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    pem = other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    with pytest.raises(ValidationError, match="not an Ed25519 key"):
        ServiceSettings(service_keys={"ondoc": {"public_keys": [pem], "rights": []}})
