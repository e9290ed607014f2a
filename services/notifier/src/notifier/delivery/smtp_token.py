"""The e-mail settings' «Токен — ввод электронного сертификата» (NOT-9): what it is and how it is used.

The source system's e-mail tab has, next to the password, a "Token" field described as
"entering an electronic certificate". Mail servers take two such things, and the field takes
either; which one is told by its content:
- a client certificate with its private key, in PEM (`-----BEGIN CERTIFICATE-----` … and an
  unencrypted `PRIVATE KEY`): shown to the server during TLS, for servers that admit clients by
  certificate. It needs `security` `ssl` or `starttls`;
- anything else is an OAuth 2.0 access token (Yandex, Mail.ru, Gmail, Microsoft 365): sent with
  `AUTH XOAUTH2` and the login (the mailbox) instead of the password.
Both are secrets: stored encrypted with the rest of the settings, shown only as `token_set` and
`token_kind` (and a certificate's expiry, which is not secret).
"""

from __future__ import annotations

import os
import re
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from notifier.config.schemas import SmtpTokenKind

_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)
_OAUTH_TOKEN = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces (RFC 6750 b64token and kin)


class BadToken(ValueError):
    """The token cannot be used; `str()` says why (safe to show: it never quotes the token)."""


@dataclass(frozen=True)
class ClientCertificate:
    pem: str  # the certificate(s) and the key, as given
    expires_at: datetime


def token_kind(token: str) -> SmtpTokenKind | None:
    """`certificate` for PEM, `oauth_token` for anything else, None when empty."""
    if not token.strip():
        return None
    return "certificate" if "-----BEGIN" in token else "oauth_token"


def read_certificate(token: str) -> ClientCertificate:
    """The client certificate in `token`, checked: a certificate, its unencrypted private key, matching."""
    blocks = {match.group(1): match.group(0) for match in reversed(list(_PEM_BLOCK.finditer(token)))}
    certificate_pem = blocks.get("CERTIFICATE")
    key_pem = next((blocks[name] for name in blocks if name.endswith("PRIVATE KEY")), None)
    if certificate_pem is None:
        raise BadToken("a client certificate needs a -----BEGIN CERTIFICATE----- block")
    if key_pem is None:
        raise BadToken("a client certificate needs its private key (-----BEGIN PRIVATE KEY-----) with it")
    if "ENCRYPTED" in key_pem.split("\n", 1)[0]:
        raise BadToken("the private key must not be protected by a password")
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
        expires_at = certificate.not_valid_after_utc
        certificate_key = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise BadToken("the certificate cannot be read") from exc
    try:
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise BadToken("the private key cannot be read") from exc
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    encoding = serialization.Encoding.DER
    if key.public_key().public_bytes(encoding, public) != certificate_key.public_bytes(encoding, public):
        raise BadToken("the private key does not belong to the certificate")
    return ClientCertificate(pem=token.strip() + "\n", expires_at=expires_at)


def check_token(token: str, *, security: str) -> None:
    """Raise BadToken unless `token` (not empty) can be used with this SMTP `security`."""
    kind = token_kind(token)
    if kind == "certificate":
        read_certificate(token)
        if security == "none":
            raise BadToken("a client certificate needs security ssl or starttls")
    elif kind == "oauth_token" and not _OAUTH_TOKEN.match(token.strip()):
        raise BadToken("an access token is one line of printable characters without spaces")


def certificate_expiry(token: str) -> datetime | None:
    """When the stored client certificate expires (None for another token, or an unreadable one)."""
    if token_kind(token) != "certificate":
        return None
    try:
        return read_certificate(token).expires_at
    except BadToken:
        return None


def client_tls_context(token: str) -> ssl.SSLContext:
    """A TLS context that verifies the server as usual and shows the client certificate in `token`.

    Python's ssl loads a certificate chain only from a file: the PEM goes to a private temporary
    file (mode 0600) that is removed as soon as it is loaded. Blocking: call it in a thread.
    """
    certificate = read_certificate(token)
    context = ssl.create_default_context()
    handle, path = tempfile.mkstemp(prefix="smtp-client-", suffix=".pem")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(certificate.pem)
        context.load_cert_chain(path)
    finally:
        os.unlink(path)
    return context
