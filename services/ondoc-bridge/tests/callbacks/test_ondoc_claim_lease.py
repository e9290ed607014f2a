"""How long a callback's claim is trusted to be in progress before a repeat takes it over (#19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ondoc_bridge.callbacks.claims import abandoned_before, claim_lease


def test_the_lease_outlasts_two_scheduling_calls_with_their_connection_retries() -> None:
    # 2 calls x 10 s x (1 + 2 tries more) + 30 s of margin
    assert claim_lease(10.0, 2) == timedelta(seconds=90)


def test_negative_retries_count_as_none() -> None:
    assert claim_lease(5.0, -1) == timedelta(seconds=40)


def test_a_claim_is_abandoned_once_older_than_the_lease() -> None:
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert abandoned_before(now, timedelta(seconds=90)) == datetime(2026, 12, 7, 8, 58, 30, tzinfo=UTC)
