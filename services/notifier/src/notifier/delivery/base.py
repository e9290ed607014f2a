"""The provider interface: one call per message, typed outcomes.

A provider returns a `ProviderResult` or raises `PermanentError` (retrying cannot help: bad
number, no funds, wrong credentials) or `TransientError` (connection refused, 5xx, "try later").
`OutcomeUnknown` is the transient error after which the provider may nonetheless have accepted
the message (the request went out, the answer never came back): resending blindly could text the
patient twice, so what happens next depends on the provider (`resend_after_unknown`).

Every send carries `key`, a stable id derived from our message id, and `resend`, true when an
earlier attempt of the same message may have reached the provider. A provider whose protocol can
look a message up by a client-chosen id (SMSC) sends `key` with the message and, on a resend,
asks first whether the message already exists; it sets `resend_after_unknown = True` (so does
SMTP, where a duplicate is rare and recognisable by its Message-ID). For the others the
dispatcher never resends after `OutcomeUnknown`: the message is marked `unknown` for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import httpx


@dataclass(frozen=True)
class ProviderResult:
    id: str | None
    parts: int | None = None
    cost: Decimal | None = None
    # The channels the provider was asked to try, in order (Imobis's chat-bot route: "viber>vk>sms").
    route: str | None = None


class DeliveryError(Exception):
    """A message could not be sent; `str(error)` is the reason shown in the message log."""


class PermanentError(DeliveryError):
    """Sending again will fail the same way."""


class TransientError(DeliveryError):
    """Sending again later may succeed."""


class OutcomeUnknown(TransientError):
    """The request may have reached the provider and been accepted, but no answer came back."""


class SmsProvider(Protocol):
    name: str
    # True when a resend after `OutcomeUnknown` cannot deliver a second copy (see the module doc).
    resend_after_unknown: bool

    async def send(
        self, phone: str, text: str, *, key: str | None = None, resend: bool = False, code: str | None = None
    ) -> ProviderResult:
        """Send `text` to `phone` (E.164 digits without '+'); `key` identifies our message; `code`
        is the verification code the text carries (the ONDOC attach code), for channels that send
        codes only (Imobis's Telegram); the others ignore it."""


class EmailSender(Protocol):
    name: str
    resend_after_unknown: bool

    async def send(self, to: str, subject: str, text: str, *, key: str | None = None) -> ProviderResult:
        """Send a plain-text e-mail; `key` becomes its Message-ID, so a resend is recognisable."""


def http_failure(label: str, exc: Exception) -> TransientError:
    """The error for an HTTP call that got no answer: was the request possibly processed?

    Connecting (refused, timed out, no free connection in the pool) and writing the request
    fail before the provider could act on it, so retrying is safe. A read that times out or
    breaks, or a server that hangs up without answering, comes after the whole request was
    sent: the provider may have accepted it.
    """
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ReadTimeout):
            return OutcomeUnknown(f"{label}: no answer in time; the message may have been accepted")
        return TransientError(f"{label}: timeout")
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return OutcomeUnknown(f"{label}: the connection broke before the answer ({type(exc).__name__})")
    return TransientError(f"{label}: connection failed ({type(exc).__name__})")
