"""The own keys of the services that sign their own calls: which services, what every process
trusts of them, and how `make up` keeps them and a rotation lists them."""

from __future__ import annotations

import importlib.util
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_shared.auth import TokenVerifier, generate_keypair, sign_service_token
from clinic_shared.settings import ServiceSettings
from gateway.runtime import public_key_of
from gateway.service_keys import load_or_create, own_call_rights, service_keys

needs_ondoc = pytest.mark.skipif(importlib.util.find_spec("ondoc_bridge") is None, reason="needs the ONDOC bridge")
BRIDGE_RIGHTS = {"ondoc": ["patients.read", "scheduling.read"]}


@needs_ondoc
def test_only_the_ondoc_bridge_signs_its_own_calls_with_the_rights_its_code_declares() -> None:
    from ondoc_bridge.app import PEER_RIGHTS

    assert own_call_rights(["patients", "scheduling", "ondoc"]) == {"ondoc": PEER_RIGHTS}


def test_every_signing_service_gets_a_key_whose_tokens_the_trust_setting_accepts() -> None:
    keys = service_keys(BRIDGE_RIGHTS)
    settings = ServiceSettings.model_validate({"service_keys": json.loads(keys.trust_json())})
    verifier = TokenVerifier.from_settings(generate_keypair()[1], settings)

    token = sign_service_token(
        keys.private_keys["ondoc"], service="ondoc", rights=["scheduling.read"], audience="clinic-api"
    )

    assert verifier.verify(token).rights == {"scheduling.read"}
    assert settings.service_keys["ondoc"].rights == ["patients.read", "scheduling.read"]


def test_fresh_keys_differ_from_one_start_to_the_next() -> None:
    assert service_keys(BRIDGE_RIGHTS).private_keys != service_keys(BRIDGE_RIGHTS).private_keys


def test_a_given_private_key_is_kept_and_its_public_key_trusted() -> None:
    private_pem, public_pem = generate_keypair()

    keys = service_keys(BRIDGE_RIGHTS, private_keys={"ondoc": private_pem})

    assert keys.private_keys == {"ondoc": private_pem}
    assert keys.trusted["ondoc"].public_keys == [public_pem]


def test_during_a_rotation_the_previous_public_keys_stay_trusted_after_the_new_one() -> None:
    old = service_keys(BRIDGE_RIGHTS)

    new = service_keys(BRIDGE_RIGHTS, previous=old.trusted)

    assert new.trusted["ondoc"].public_keys == [
        public_key_of(new.private_keys["ondoc"]),
        *old.trusted["ondoc"].public_keys,
    ]


def test_make_up_keeps_the_service_key_across_restarts_readable_only_by_its_owner(tmp_path: Path) -> None:
    first = load_or_create(tmp_path, BRIDGE_RIGHTS)
    again = load_or_create(tmp_path, BRIDGE_RIGHTS)

    assert first == again
    assert stat.S_IMODE((tmp_path / "service-key-ondoc").stat().st_mode) == 0o600


@needs_ondoc
def test_the_command_writes_the_secret_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gateway.service_keys", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    trust = json.loads((tmp_path / "service-keys").read_text())
    private_pem = (tmp_path / "service-key-ondoc").read_text()
    assert trust["ondoc"]["public_keys"] == [public_key_of(private_pem)]
