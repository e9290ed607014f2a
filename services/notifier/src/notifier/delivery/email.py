"""Email over SMTP with aiosmtplib (STARTTLS, implicit TLS or plain), signing in with a password,
an OAuth 2.0 access token or a client certificate (the «Токен», NOT-9)."""

from __future__ import annotations

import asyncio
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import aiosmtplib

from clinic_shared.outbound import connect_socket
from notifier.config.schemas import SmtpConfig
from notifier.delivery.base import PermanentError, ProviderResult, TransientError
from notifier.delivery.smtp_token import BadToken, client_tls_context, token_kind


class SmtpSender:
    """SMTP has no way to ask a server whether it already took a message, and a server that
    accepted DATA but whose "250" was lost is rare; a resend is then a second copy. Its
    Message-ID is derived from our message id (`key`), so the copies are recognisable (and
    mail clients that collapse duplicates by Message-ID show one). Retrying is allowed.

    The connection goes through the outbound address policy (clinic_shared.outbound): the host
    is resolved and checked, and aiosmtplib gets a socket connected to the checked address (TLS
    is still verified against the host name). A host on a loopback, private or link-local
    address raises `OutboundRefused` unless `allow_private` (the dispatcher records it as failed).
    """

    name = "smtp"
    resend_after_unknown = True

    def __init__(
        self, config: SmtpConfig, *, sender_name: str = "", timeout: float = 15.0, allow_private: bool = False
    ) -> None:
        self.config = config
        self.sender_name = sender_name
        self.timeout = timeout
        self.allow_private = allow_private
        self._tls_context: ssl.SSLContext | None = None  # with the client certificate, built once

    async def send(self, to: str, subject: str, text: str, *, key: str | None = None) -> ProviderResult:
        """Send one plain-text e-mail; 4xx answers and connection trouble are transient."""
        config = self.config
        if not config.host or not config.from_address:
            raise PermanentError("SMTP server or from address is not set in the notifier settings")
        message = EmailMessage()
        message["From"] = (
            formataddr((self.sender_name, config.from_address)) if self.sender_name else config.from_address
        )
        message["To"] = to
        message["Subject"] = subject
        domain = config.from_address.rsplit("@", 1)[-1]
        message["Message-ID"] = (
            f"<{key}@{domain}>" if key else make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)
        )
        message.set_content(text)
        credentials = await self._credentials()
        try:
            sock = await connect_socket(
                config.host, config.port, allow_private=self.allow_private, timeout=self.timeout
            )
        except (OSError, TimeoutError) as exc:
            raise TransientError(f"SMTP: {type(exc).__name__}") from exc
        try:
            await aiosmtplib.send(
                message,
                hostname=config.host,  # with `sock`: only the name TLS is verified against
                sock=sock,
                **credentials,
                use_tls=config.security == "ssl",
                start_tls=True if config.security == "starttls" else False,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise PermanentError(f"SMTP: authentication failed ({exc.code})") from exc
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            if codes and all(400 <= code < 500 for code in codes):  # greylisting, mailbox busy
                raise TransientError(f"SMTP: the recipient was deferred ({codes[0]})") from exc
            raise PermanentError("SMTP: the recipient address was refused") from exc
        except aiosmtplib.SMTPResponseException as exc:
            kind = TransientError if 400 <= exc.code < 500 else PermanentError
            raise kind(f"SMTP: server answered {exc.code}") from exc
        except aiosmtplib.SMTPException as exc:
            if "XOAUTH2" in str(exc):  # a server that takes no access token will not take one later
                raise PermanentError("SMTP: the server does not accept an access token (no AUTH XOAUTH2)") from exc
            raise TransientError(f"SMTP: {type(exc).__name__}") from exc
        except (OSError, TimeoutError) as exc:
            raise TransientError(f"SMTP: {type(exc).__name__}") from exc
        except (ValueError, TypeError):
            # Refused before connecting: the socket is still ours (once aiosmtplib has made its
            # connection, asyncio's transport owns the socket and closes it).
            sock.close()
            raise
        return ProviderResult(id=str(message["Message-ID"]).strip("<>"), parts=1)

    async def _credentials(self) -> dict[str, Any]:
        """How aiosmtplib signs in: login and password, or the «Токен» (smtp_token.py) — an access
        token with AUTH XOAUTH2 instead of the password, or a client certificate shown in TLS."""
        config = self.config
        credentials: dict[str, Any] = {"username": config.login or None, "password": config.password or None}
        kind = token_kind(config.token)
        if kind == "oauth_token":
            if not config.login:
                raise PermanentError("SMTP: the access token needs the login (the mailbox) to sign in with")
            token = config.token.strip()

            async def access_token() -> str:
                return token

            credentials |= {"password": None, "oauth_token_generator": access_token}
        elif kind == "certificate":
            if config.security == "none":
                raise PermanentError("SMTP: a client certificate needs security ssl or starttls")
            if self._tls_context is None:
                try:
                    self._tls_context = await asyncio.to_thread(client_tls_context, config.token)
                except (BadToken, ssl.SSLError) as exc:
                    raise PermanentError(f"SMTP: the client certificate cannot be used: {exc}") from exc
            credentials["tls_context"] = self._tls_context
        return credentials
