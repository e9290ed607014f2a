"""Login throttling: too many failures for a username or from an address → 429 for a while."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class LoginThrottle:
    """Sliding window of failed attempts per key (in memory, per gateway replica)."""

    def __init__(self, max_failures: int, window_seconds: int) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

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
            if len(attempts) >= self.max_failures:
                wait = max(wait, attempts[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._prune(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
