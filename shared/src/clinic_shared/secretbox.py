"""Secrets at rest: provider passwords, tokens and callback secrets encrypted in the database.

A service must present these secrets to someone else (an SMS provider, ONDOC), so a one-way
hash will not do; what we can stop is a database dump or backup giving them away. Columns
typed `EncryptedText` / `EncryptedJSON` hold `sb1:<key id>:<base64url(nonce | AES-256-GCM
ciphertext and tag)>`; the prefix is authenticated with the ciphertext, so neither the text
nor the key id can be changed without the value being refused.

Keys come from `CLINIC_SECRETS_KEY`: one or more base64url keys of 32 bytes, comma separated,
newest first. The first encrypts, all decrypt, and the key id says which one to use — so a
rotation is "put the new key first, keep the old one second, save the settings once (every
save re-encrypts with the newest key), then drop the old key" (docs/operations.md).
Embedded mode (no `CLINIC_DATABASE_URL`) makes a key on first start and keeps it under the
data dir, like the gateway's signing key; distributed mode has no default and a service that
stores secrets refuses to start without the variable.

The box of a service is attached to its engine's dialect (`bind`): the column types get only
the dialect, and in embedded mode several services — each with its own engine — share one
process. It is resolved on first use, so services without secret columns never need a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import MetaData, Text, TypeDecorator, select, update
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.engine import Connection, Dialect

from clinic_shared.settings import ServiceSettings

FORMAT = "sb1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_FILE = Path("keys") / "secrets.key"
_DIALECT_ATTRIBUTE = "clinic_secretbox"


class SecretBoxError(Exception):
    """A secret cannot be encrypted or decrypted (a configuration or data problem, never the user's)."""


class SecretsKeyMissing(SecretBoxError):
    """Distributed mode without `CLINIC_SECRETS_KEY` for a service that stores secrets."""


class SecretUnreadable(SecretBoxError):
    """A stored value is not ours, was changed, or was encrypted with a key we no longer have."""


def generate_key() -> str:
    """A new key in the form `CLINIC_SECRETS_KEY` takes (base64url of 32 random bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def key_id(key: bytes) -> str:
    """A short public name of a key: names it in the ciphertext without saying anything about it."""
    return hashlib.sha256(b"clinic-secretbox-key-id:" + key).hexdigest()[:8]


def _decode_key(text: str, position: int) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != KEY_BYTES:
        raise SecretBoxError(
            f"CLINIC_SECRETS_KEY: key #{position} is not base64url of {KEY_BYTES} bytes "
            "(make one with `python -m clinic_shared.secretbox`)"
        )
    return key


class SecretBox:
    """Encrypts with the newest key, decrypts with whichever key the value names."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise SecretBoxError("CLINIC_SECRETS_KEY holds no key")
        self._ciphers = {key_id(key): AESGCM(key) for key in keys}
        self.current_key_id = key_id(keys[0])
        if len(self._ciphers) != len(keys):
            raise SecretBoxError("CLINIC_SECRETS_KEY lists the same key twice")

    @classmethod
    def from_text(cls, text: str) -> SecretBox:
        """From the variable's value: keys comma separated, newest first."""
        parts = [part.strip() for part in text.split(",") if part.strip()]
        return cls([_decode_key(part, position) for position, part in enumerate(parts, start=1)])

    @property
    def key_ids(self) -> list[str]:
        return list(self._ciphers)

    def encrypt(self, plaintext: str) -> str:
        header = f"{FORMAT}:{self.current_key_id}:"
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_key_id].encrypt(nonce, plaintext.encode(), header.encode())
        return header + base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, token: str) -> str:
        kid = key_id_of(token)
        if kid is None:
            raise SecretUnreadable("the stored value is not an encrypted secret")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SecretUnreadable(
                f"the stored secret was encrypted with key {kid}, which CLINIC_SECRETS_KEY does not hold "
                f"(it holds {', '.join(self.key_ids)})"
            )
        header, _, body = token.rpartition(":")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plaintext = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], (header + ":").encode())
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise SecretUnreadable(f"the stored secret (key {kid}) was altered or is damaged") from exc
        return plaintext.decode()

    def needs_reencryption(self, token: str) -> bool:
        """True for a value encrypted with an older key (rotation not finished for it)."""
        return key_id_of(token) != self.current_key_id


def key_id_of(value: str) -> str | None:
    """The key id an encrypted value names, or None when the value is not one of ours (e.g. clear text)."""
    parts = value.split(":", 2)
    if len(parts) == 3 and parts[0] == FORMAT and len(parts[1]) == 8:
        return parts[1]
    return None


def is_encrypted(value: str) -> bool:
    return key_id_of(value) is not None


# ---------------------------------------------------------------- keys from settings


def ensure_embedded_key(data_dir: Path) -> str:
    """Embedded mode's key, made on first start and kept under the data dir (0600).

    Written to a temporary file and linked into place, so two processes starting together
    end up with the same key rather than one overwriting the other's.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(generate_key() + "\n")
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def box_for_settings(settings: ServiceSettings) -> SecretBox:
    """The service's box: `CLINIC_SECRETS_KEY`, or embedded mode's key file; distributed mode has no default."""
    if settings.secrets_key is not None and settings.secrets_key.get_secret_value().strip():
        return SecretBox.from_text(settings.secrets_key.get_secret_value())
    if settings.database_url:
        raise SecretsKeyMissing(
            f"{settings.service_name} stores credentials encrypted and needs CLINIC_SECRETS_KEY with "
            "CLINIC_DATABASE_URL (distributed mode has no default key). Make one with "
            "`python -m clinic_shared.secretbox` and keep it with the other secrets: without it the stored "
            "credentials cannot be read."
        )
    return SecretBox.from_text(ensure_embedded_key(settings.data_dir))


# ---------------------------------------------------------------- binding to an engine


class _LazyBox:
    """Resolves the box on first use (and remembers it)."""

    def __init__(self, resolve: Callable[[], SecretBox]) -> None:
        self._resolve = resolve
        self._box: SecretBox | None = None

    def get(self) -> SecretBox:
        if self._box is None:
            self._box = self._resolve()
        return self._box


def bind(dialect: Dialect, resolve: Callable[[], SecretBox]) -> None:
    """Give an engine's dialect the box its encrypted columns use (resolved on first use)."""
    setattr(dialect, _DIALECT_ATTRIBUTE, _LazyBox(resolve))


def box_of(dialect: Dialect) -> SecretBox:
    """The box bound to this dialect (what `EncryptedText` and data migrations use)."""
    lazy: _LazyBox | None = getattr(dialect, _DIALECT_ATTRIBUTE, None)
    if lazy is None:
        raise SecretBoxError("no secrets key is bound to this database engine (use clinic_shared.db.Database)")
    return lazy.get()


def stores_secrets(metadata: MetaData) -> bool:
    """Whether any table of this metadata has an encrypted column (then the service needs a key)."""
    return any(
        isinstance(column.type, EncryptedText | EncryptedJSON)
        for table in metadata.tables.values()
        for column in table.columns
    )


# ---------------------------------------------------------------- column types


class EncryptedText(TypeDecorator[str]):
    """A str column stored encrypted (TEXT: ciphertext is longer than the secret)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return box_of(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return box_of(dialect).decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document (e.g. a list of secrets) stored encrypted as one TEXT value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return box_of(dialect).encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(box_of(dialect).decrypt(value))


# ---------------------------------------------------------------- data migrations


def encrypt_clear_values(connection: Connection, table: str, columns: list[str], *, key: str = "id") -> int:
    """Data migration: encrypt the values of `columns` still stored in clear; returns the rows changed.

    The key is resolved only when a row needs it, so a fresh database migrates without one.
    Values already encrypted are left alone, so running it again changes nothing.
    """
    return _rewrite(
        connection, table, columns, key, lambda box, value: None if is_encrypted(value) else box.encrypt(value)
    )


def decrypt_values(connection: Connection, table: str, columns: list[str], *, key: str = "id") -> int:
    """Downgrade of `encrypt_clear_values`: back to clear text (needs the key that encrypted them)."""
    return _rewrite(
        connection, table, columns, key, lambda box, value: box.decrypt(value) if is_encrypted(value) else None
    )


def _rewrite(
    connection: Connection,
    table: str,
    columns: list[str],
    key: str,
    change: Callable[[SecretBox, str], str | None],
) -> int:
    target = sa_table(table, sa_column(key), *(sa_column(name) for name in columns))
    rows = connection.execute(select(target)).mappings().all()
    changed = 0
    for row in rows:
        values = {
            name: new
            for name in columns
            if row[name] is not None and (new := change(box_of(connection.dialect), row[name])) is not None
        }
        if values:
            connection.execute(update(target).where(target.c[key] == row[key]).values(**values))
            changed += 1
    return changed


def main() -> None:
    """`python -m clinic_shared.secretbox`: print a new key for CLINIC_SECRETS_KEY."""
    print(generate_key())


if __name__ == "__main__":
    main()
