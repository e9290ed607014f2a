"""Rules of the secrets box: what is stored cannot be read without the key, and keys can rotate."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pydantic import SecretStr

from clinic_shared.secretbox import (
    SecretBox,
    SecretBoxError,
    SecretsKeyMissing,
    SecretUnreadable,
    box_for_settings,
    generate_key,
    is_encrypted,
    key_id,
    key_id_of,
)
from clinic_shared.settings import ServiceSettings

OLD_KEY = generate_key()
NEW_KEY = generate_key()


def raw(key: str) -> bytes:
    return base64.urlsafe_b64decode(key)


def test_a_secret_comes_back_as_it_was_given() -> None:
    box = SecretBox.from_text(NEW_KEY)

    assert box.decrypt(box.encrypt("пароль-smsc 🔑")) == "пароль-smsc 🔑"


def test_the_stored_form_does_not_contain_the_secret() -> None:
    stored = SecretBox.from_text(NEW_KEY).encrypt("sms-provider-password")

    assert "sms-provider-password" not in stored
    assert is_encrypted(stored)


def test_the_same_secret_encrypts_differently_each_time() -> None:
    box = SecretBox.from_text(NEW_KEY)

    assert box.encrypt("token") != box.encrypt("token")


def test_the_stored_form_names_the_key_that_encrypted_it() -> None:
    stored = SecretBox.from_text(NEW_KEY).encrypt("token")

    assert stored.startswith(f"sb1:{key_id(raw(NEW_KEY))}:")
    assert key_id_of(stored) == key_id(raw(NEW_KEY))


def test_a_different_key_cannot_read_a_secret() -> None:
    stored = SecretBox.from_text(OLD_KEY).encrypt("token")

    with pytest.raises(SecretUnreadable, match="does not hold"):
        SecretBox.from_text(NEW_KEY).decrypt(stored)


def test_a_changed_ciphertext_is_refused() -> None:
    box = SecretBox.from_text(NEW_KEY)
    stored = box.encrypt("token")
    header, _, body = stored.rpartition(":")
    data = bytearray(base64.urlsafe_b64decode(body))
    data[-1] ^= 0x01
    tampered = f"{header}:{base64.urlsafe_b64encode(bytes(data)).decode()}"

    with pytest.raises(SecretUnreadable, match="altered"):
        box.decrypt(tampered)


def test_a_ciphertext_relabelled_with_another_known_key_id_is_refused() -> None:
    box = SecretBox.from_text(f"{NEW_KEY},{OLD_KEY}")
    stored = box.encrypt("token")
    relabelled = stored.replace(key_id(raw(NEW_KEY)), key_id(raw(OLD_KEY)), 1)

    with pytest.raises(SecretUnreadable):
        box.decrypt(relabelled)


def test_clear_text_is_not_taken_for_a_secret() -> None:
    with pytest.raises(SecretUnreadable, match="not an encrypted secret"):
        SecretBox.from_text(NEW_KEY).decrypt("plain-password")


def test_after_rotation_old_secrets_stay_readable() -> None:
    stored_before = SecretBox.from_text(OLD_KEY).encrypt("token")

    rotated = SecretBox.from_text(f"{NEW_KEY}, {OLD_KEY}")

    assert rotated.decrypt(stored_before) == "token"


def test_after_rotation_new_secrets_use_the_first_key() -> None:
    rotated = SecretBox.from_text(f"{NEW_KEY},{OLD_KEY}")

    stored = rotated.encrypt("token")

    assert key_id_of(stored) == key_id(raw(NEW_KEY))
    assert SecretBox.from_text(NEW_KEY).decrypt(stored) == "token"


def test_a_secret_under_the_old_key_is_flagged_for_reencryption() -> None:
    rotated = SecretBox.from_text(f"{NEW_KEY},{OLD_KEY}")

    assert rotated.needs_reencryption(SecretBox.from_text(OLD_KEY).encrypt("token"))
    assert not rotated.needs_reencryption(rotated.encrypt("token"))


@pytest.mark.parametrize("bad", ["short", base64.urlsafe_b64encode(b"x" * 16).decode(), "not base64 !!"])
def test_a_key_that_is_not_32_bytes_is_refused_with_its_position(bad: str) -> None:
    with pytest.raises(SecretBoxError, match="key #2"):
        SecretBox.from_text(f"{NEW_KEY},{bad}")


def test_an_empty_key_list_is_refused() -> None:
    with pytest.raises(SecretBoxError, match="no key"):
        SecretBox.from_text(" , ")


def test_distributed_mode_without_a_key_refuses_with_the_variable_name(tmp_path: Path) -> None:
    settings = ServiceSettings(
        service_name="notifier", data_dir=tmp_path, database_url="postgresql+asyncpg://db/clinic", secrets_key=None
    )

    with pytest.raises(SecretsKeyMissing, match="CLINIC_SECRETS_KEY"):
        box_for_settings(settings)


def test_embedded_mode_keeps_one_key_in_the_data_dir(tmp_path: Path) -> None:
    settings = ServiceSettings(service_name="notifier", data_dir=tmp_path, database_url=None, secrets_key=None)

    stored = box_for_settings(settings).encrypt("token")

    assert box_for_settings(settings).decrypt(stored) == "token"
    key_file = tmp_path / "keys" / "secrets.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]


def test_a_configured_key_wins_over_the_embedded_one(tmp_path: Path) -> None:
    settings = ServiceSettings(
        service_name="notifier", data_dir=tmp_path, database_url=None, secrets_key=SecretStr(NEW_KEY)
    )

    stored = box_for_settings(settings).encrypt("token")

    assert SecretBox.from_text(NEW_KEY).decrypt(stored) == "token"
    assert not (tmp_path / "keys" / "secrets.key").exists()
