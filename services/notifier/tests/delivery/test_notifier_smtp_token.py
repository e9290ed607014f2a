"""The e-mail «Токен» (NOT-9) against real SMTP servers (aiosmtpd): an access token signs in with
AUTH XOAUTH2 instead of the password; a client certificate is shown to the server in TLS."""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult
from notifier_certificates import Issued, TestAuthority

from notifier.config.schemas import SmtpConfig
from notifier.delivery.base import PermanentError, TransientError
from notifier.delivery.email import SmtpSender

ACCESS_TOKEN = "ya29.access-token-for-the-clinic"


class Mailbox:
    """Records what the server saw: the XOAUTH2 sign-in, the client certificate, the messages."""

    def __init__(self) -> None:
        self.oauth: list[str] = []
        self.logins: list[str] = []
        self.peer_subjects: list[str] = []
        self.messages = 0

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        self.oauth.append(base64.b64decode(args[1]).decode())
        return AuthResult(success=True)

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        certificate = server.transport.get_extra_info("peercert") if server.transport else None
        if certificate:
            self.peer_subjects.append(dict(part[0] for part in certificate["subject"])["commonName"])
        self.messages += 1
        return "250 OK"


def password_only(server: SMTP, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    return AuthResult(success=mechanism in ("LOGIN", "PLAIN"))


async def serve(
    handler: Any, *, tls: ssl.SSLContext | None = None, **options: Any
) -> tuple[asyncio.AbstractServer, int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, auth_require_tls=False, **options), host="127.0.0.1", port=0, ssl=tls
    )
    return server, server.sockets[0].getsockname()[1]


def sender(port: int, **settings: Any) -> SmtpSender:
    config = SmtpConfig(host="127.0.0.1", port=port, from_address="clinic@example.org", security="none")
    return SmtpSender(config.model_copy(update=settings), timeout=5, allow_private=True)  # a local server


async def test_an_access_token_signs_in_with_xoauth2_instead_of_the_password() -> None:
    mailbox = Mailbox()
    server, port = await serve(mailbox)
    try:
        await sender(port, login="clinic@example.org", password="old-pw", token=ACCESS_TOKEN).send(
            "patient@example.org", "Анализы", "Готовы"
        )
    finally:
        server.close()

    assert mailbox.oauth == [f"user=clinic@example.org\x01auth=Bearer {ACCESS_TOKEN}\x01\x01"]
    assert mailbox.messages == 1


async def test_an_access_token_without_the_login_fails_at_once() -> None:
    with pytest.raises(PermanentError, match="login"):
        await sender(1, token=ACCESS_TOKEN).send("patient@example.org", "s", "t")


async def test_a_server_that_takes_no_access_token_fails_permanently() -> None:
    server, port = await serve(object(), authenticator=password_only)
    try:
        with pytest.raises(PermanentError, match="XOAUTH2"):
            await sender(port, login="clinic@example.org", token=ACCESS_TOKEN).send("patient@example.org", "s", "t")
    finally:
        server.close()


@pytest.fixture
def authority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestAuthority:
    """A CA the client trusts (as if it were a public one) for the test server's certificate."""
    authority = TestAuthority.create()
    bundle = tmp_path / "ca.pem"
    bundle.write_text(authority.pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return authority


@pytest.fixture
async def tls_server(authority: TestAuthority, tmp_path: Path) -> AsyncIterator[tuple[Mailbox, int]]:
    """An SMTP server over implicit TLS that admits only clients with a certificate of `authority`."""
    issued = authority.issue("127.0.0.1", server=True)
    (tmp_path / "server.pem").write_text(issued.pem)
    (tmp_path / "ca.pem").write_text(authority.pem)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "server.pem")
    context.load_verify_locations(tmp_path / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    mailbox = Mailbox()
    server, port = await serve(mailbox, tls=context)
    try:
        yield mailbox, port
    finally:
        server.close()


async def test_a_client_certificate_is_shown_to_the_server(
    authority: TestAuthority, tls_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = tls_server
    client: Issued = authority.issue("clinic-mailer")

    await sender(port, security="ssl", token=client.pem).send("patient@example.org", "Анализы", "Готовы")

    assert mailbox.peer_subjects == ["clinic-mailer"]


async def test_without_the_certificate_the_server_turns_the_client_away(tls_server: tuple[Mailbox, int]) -> None:
    mailbox, port = tls_server

    with pytest.raises(TransientError):
        await sender(port, security="ssl").send("patient@example.org", "s", "t")

    assert mailbox.messages == 0


async def test_a_certificate_with_plain_smtp_fails_at_once(authority: TestAuthority) -> None:
    client = authority.issue("clinic-mailer")
    with pytest.raises(PermanentError, match="ssl or starttls"):
        await sender(1, security="none", token=client.pem).send("patient@example.org", "s", "t")
