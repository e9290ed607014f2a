"""Email over SMTP against a real aiosmtpd sink, and the SMTP failures' classification."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult

from notifier.config.schemas import SmtpConfig
from notifier.delivery.base import PermanentError, TransientError
from notifier.delivery.email import SmtpSender
from notifier.delivery.fakes import SmtpSink


@pytest.fixture
async def sink() -> SmtpSink:
    server = SmtpSink()
    await server.start()
    yield server
    await server.stop()


def sender(port: int, **overrides: Any) -> SmtpSender:
    config = SmtpConfig(host="127.0.0.1", port=port, from_address="clinic@example.org", security="none")
    # The SMTP servers of these tests listen on 127.0.0.1.
    return SmtpSender(config.model_copy(update=overrides), sender_name="Клиника", timeout=3, allow_private=True)


async def test_an_email_reaches_the_smtp_server_with_subject_and_text(sink: SmtpSink) -> None:
    result = await sender(sink.port).send("patient@example.org", "Напоминание", "Ждём вас завтра 🎉")
    [mail] = sink.received
    assert mail.to == ["patient@example.org"]
    assert mail.mail_from == "clinic@example.org"
    assert (mail.subject, mail.text) == ("Напоминание", "Ждём вас завтра 🎉")
    assert result.id == mail.id


async def test_a_closed_port_is_transient(sink: SmtpSink) -> None:
    port = sink.port
    await sink.stop()
    with pytest.raises(TransientError):
        await sender(port).send("patient@example.org", "s", "t")


async def _refusing_server(code: int) -> tuple[asyncio.AbstractServer, int]:
    class Refuse:
        async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
            return f"{code} refused"

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Refuse()), host="127.0.0.1", port=0)
    return server, server.sockets[0].getsockname()[1]


async def test_a_refused_recipient_is_permanent() -> None:
    server, port = await _refusing_server(550)
    try:
        with pytest.raises(PermanentError, match="recipient"):
            await sender(port).send("nobody@example.org", "s", "t")
    finally:
        server.close()


async def test_a_greylisting_answer_is_transient() -> None:
    server, port = await _refusing_server(451)
    try:
        with pytest.raises(TransientError, match="deferred"):
            await sender(port).send("someone@example.org", "s", "t")
    finally:
        server.close()


async def test_login_refused_is_permanent() -> None:
    loop = asyncio.get_running_loop()

    def refuse(_server: Any, _session: Any, _envelope: Any, _mechanism: str, _auth_data: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    server = await loop.create_server(
        lambda: SMTP(object(), authenticator=refuse, auth_require_tls=False), host="127.0.0.1", port=0
    )
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(PermanentError, match="authentication"):
            await sender(port, login="user", password="wrong").send("someone@example.org", "s", "t")
    finally:
        server.close()


async def test_without_a_server_configured_it_fails_permanently() -> None:
    with pytest.raises(PermanentError, match="not set"):
        await SmtpSender(SmtpConfig()).send("someone@example.org", "s", "t")
