"""Callback signatures (OND-10): hex HMAC-SHA256, with a shared secret, over the timestamp, the
callback id and the raw body (`ondoc.contract.signed_message`). Several secrets may be active
at once, so a secret can be rotated without a moment when ONDOC's callbacks fail."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from ondoc_bridge.ondoc.contract import signed_message


class SignatureError(ValueError):
    """Why a callback's signature does not check out (safe to show the caller)."""


def sign(secret: str, timestamp: int, callback_id: str, body: bytes) -> str:
    """The signature ONDOC puts in X-Ondoc-Signature."""
    return hmac.new(secret.encode(), signed_message(timestamp, callback_id, body), hashlib.sha256).hexdigest()


def verify(
    *,
    timestamp: str | None,
    signature: str | None,
    callback_id: str | None,
    body: bytes,
    secrets: Sequence[str],
    now: float,
    tolerance_seconds: int,
) -> None:
    """Raise `SignatureError` unless the timestamp, callback id and body were signed by one of
    `secrets` within the tolerance.

    Checked on the raw bytes, before anything parses them.
    """
    if not secrets:
        raise SignatureError("no callback secret is configured")
    if not timestamp or not signature or not callback_id:
        raise SignatureError("the timestamp, signature and callback id headers are required")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureError("the timestamp must be unix seconds")
    moment = int(timestamp)
    if abs(now - moment) > tolerance_seconds:
        raise SignatureError("the timestamp is outside the allowed window")
    given = signature.strip().lower().removeprefix("sha256=").encode()
    # Compare against every secret (no early exit), each in constant time.
    matched = False
    for secret in secrets:
        expected = sign(secret, moment, callback_id, body).encode()
        matched |= hmac.compare_digest(expected, given)
    if not matched:
        raise SignatureError("the signature does not match")
