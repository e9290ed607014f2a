"""In-process fakes for embedded mode and tests: an SMS provider and a real SMTP sink.

Both keep what they "sent" in memory (newest last, bounded) so a newcomer can watch the
reminders go out through GET /fake/sms and GET /fake/emails.

The sink's SMTP server library (aiosmtpd) is a development tool, installed with the `fakes`
extra and the dev group but not in the production image: it is imported when a sink starts,
so the notifier runs without it as long as nobody picks the `fake` e-mail provider.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

from notifier.delivery.base import DeliveryError, OutcomeUnknown, PermanentError, ProviderResult
from notifier.templates.sms import sms_info

KEEP = 1000


@dataclass(frozen=True)
class FakeSms:
    id: str
    phone: str
    text: str
    parts: int
    sent_at: datetime


class FakeSmsProvider:
    """Accepts every message (unless told to fail the next ones) and remembers it.

    It behaves like SMSC with our message id: a resend of a key it already accepted returns the
    earlier result and sends nothing (`resend_after_unknown`). `lose_next_answers` makes it accept
    messages and then lose the answer, as a provider slower than our timeout does.
    """

    name = "fake"
    resend_after_unknown = True

    def __init__(self) -> None:
        self.sent: deque[FakeSms] = deque(maxlen=KEEP)
        self._failures: deque[DeliveryError] = deque()
        self._lost_answers = 0
        self._accepted: dict[str, FakeSms] = {}
        self._lock = threading.Lock()

    def fail_next(self, *errors: DeliveryError) -> None:
        """Make the next sends raise these errors, in order (to show retries and fallbacks)."""
        self._failures.extend(errors)

    def lose_next_answers(self, count: int = 1) -> None:
        """The next `count` messages are accepted, but the sender hears nothing back."""
        self._lost_answers += count

    async def send(
        self, phone: str, text: str, *, key: str | None = None, resend: bool = False, code: str | None = None
    ) -> ProviderResult:
        """Record the message as sent (once per key)."""
        if self._failures:
            raise self._failures.popleft()
        with self._lock:
            message = self._accepted.get(key) if key else None
            if message is None:
                message = FakeSms(uuid.uuid4().hex, phone, text, sms_info(text).segments, datetime.now(UTC))
                self.sent.append(message)
                if key:
                    self._accepted[key] = message
                    if len(self._accepted) > KEEP * 10:  # bounded, oldest first
                        self._accepted.pop(next(iter(self._accepted)))
            if self._lost_answers:
                self._lost_answers -= 1
                raise OutcomeUnknown("fake: no answer in time; the message may have been accepted")
        return ProviderResult(id=message.id, parts=message.parts)


@dataclass(frozen=True)
class FakeEmail:
    id: str
    mail_from: str
    to: list[str]
    subject: str
    text: str
    received_at: datetime


class _SinkHandler:
    def __init__(self, store: deque[FakeEmail]) -> None:
        self.store = store

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        self.store.append(
            FakeEmail(
                id=str(parsed.get("Message-ID", "")).strip().strip("<>") or uuid.uuid4().hex,
                mail_from=envelope.mail_from,
                to=list(envelope.rcpt_tos),
                subject=str(parsed.get("Subject", "")),
                text=text.replace("\r\n", "\n").rstrip("\n"),
                received_at=datetime.now(UTC),
            )
        )
        return "250 Message accepted"


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a local port (a free one unless given), in this event loop."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.received: deque[FakeEmail] = deque(maxlen=KEEP)
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        """Listen on the port (a free one when 0; idempotent)."""
        if self._server is not None:
            return
        try:
            from aiosmtpd.smtp import SMTP as SmtpServerProtocol
        except ImportError as exc:
            raise PermanentError(
                "the fake e-mail provider needs the SMTP sink (aiosmtpd), which this installation "
                "does not have (the `fakes` extra): choose the smtp provider"
            ) from exc
        handler = _SinkHandler(self.received)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SmtpServerProtocol(handler, hostname="clinic-smtp-sink", enable_SMTPUTF8=True),
            host=self.host,
            port=self.port,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
