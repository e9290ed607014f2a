"""How long a callback's claim is trusted to be in progress (#19).

A callback that calls scheduling (book, cancel) commits its claim (`callbacks` row with status
0) before the call and records the answer after it. If the process dies in between, the claim
stays: until it is older than the lease, a repeat of the callback is told it is in progress
(409, ONDOC retries later); after that, the repeat takes the claim over and does the work again.
Doing it again is safe: a booking goes to scheduling with the same Idempotency-Key (the same
appointment comes back), and a cancellation of a deleted appointment changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

CALLS_PER_CALLBACK = 2  # book: record types (when not cached) + the booking; cancel: read + delete
LEASE_MARGIN = timedelta(seconds=30)


def claim_lease(http_timeout_seconds: float, http_retries: int) -> timedelta:
    """Longer than a live delivery can take to call scheduling: each call is bounded by the
    HTTP timeout, tried `1 + http_retries` times when it cannot connect."""
    per_call = http_timeout_seconds * (1 + max(http_retries, 0))
    return timedelta(seconds=CALLS_PER_CALLBACK * per_call) + LEASE_MARGIN


def abandoned_before(now: datetime, lease: timedelta) -> datetime:
    """A claim made before this instant was left by a delivery that died: a repeat takes it over."""
    return now - lease
