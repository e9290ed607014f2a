"""Login throttling: too many failures for a username or from an address → 429 for a while."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class LoginThrottle:
    """Sliding window of failed attempts per key (in memory, per gateway replica).

    Keys are `user:<name>` or `ip:<address>`. An address gets its own, larger limit: a clinic's
    whole front desk may log in from behind one NAT address.
    """

    def __init__(self, max_failures: int, window_seconds: int, *, max_failures_per_address: int | None = None) -> None:
        self.max_failures = max_failures
        self.max_per_address = max_failures_per_address or 4 * max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _limit(self, key: str) -> int:
        return self.max_per_address if key.startswith("ip:") else self.max_failures

    def _prune(self, key: str, now: float) -> deque[float]:
        attempts = self._failures[key]
        while attempts and attempts[0] <= now - self.window:
            attempts.popleft()
        return attempts

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt is allowed (0 = allowed now)."""
        now = time.monotonic()
        wait = 0.0
        for key in keys:
            attempts = self._prune(key, now)
            if len(attempts) >= self._limit(key):
                wait = max(wait, attempts[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._prune(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
