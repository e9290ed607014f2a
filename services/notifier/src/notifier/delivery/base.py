"""The provider interface: one call per message, typed outcomes.

A provider returns a `ProviderResult` or raises `PermanentError` (retrying cannot help: bad
number, no funds, wrong credentials) or `TransientError` (timeouts, 5xx, "try later").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class ProviderResult:
    id: str | None
    parts: int | None = None
    cost: Decimal | None = None


class DeliveryError(Exception):
    """A message could not be sent; `str(error)` is the reason shown in the message log."""


class PermanentError(DeliveryError):
    """Sending again will fail the same way."""


class TransientError(DeliveryError):
    """Sending again later may succeed."""


class SmsProvider(Protocol):
    name: str

    async def send(self, phone: str, text: str) -> ProviderResult:
        """Send `text` to `phone` (E.164 digits without '+')."""


class EmailSender(Protocol):
    name: str

    async def send(self, to: str, subject: str, text: str) -> ProviderResult:
        """Send a plain-text e-mail."""
