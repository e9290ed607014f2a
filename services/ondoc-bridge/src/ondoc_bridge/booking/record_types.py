"""Scheduling's record type "ondoc", remembered per process for a few minutes.

Every booking from ONDOC is made with this record type, and reading scheduling's whole list of
record types for each booking was one more call to scheduling per booking for a value that
practically never changes. It is cached here with a short time to live, not invalidated by
events, because that is the simplest correct choice:

- the bridge consumes no event of scheduling's directories (only `patient.*` and
  `appointment.*`), and subscribing to one for this single value is more machinery than it saves;
- "ondoc" is a system record type of scheduling: seeded at every start, it cannot be deleted and
  keeps its code, so its id changes only when scheduling's database is replaced. The time to live
  bounds that case, and picks the type up soon after a scheduling without it gets it.

A list that could not be read is not remembered (the next booking asks again); one read without
the type is, for the time to live, as the answer is then simply "book without a record type".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime

log = get_logger(__name__)
ONDOC_RECORD_TYPE = "ondoc"
TTL_SECONDS = 300.0
STATE_KEY = "ondoc_record_types"  # runtime.state key of the process's cache

Fetch = Callable[[], Awaitable[list[dict[str, Any]] | None]]


def ondoc_type_id(items: list[dict[str, Any]]) -> str | None:
    """The id of the record type with code "ondoc" in scheduling's list, if there is one."""
    for item in items:
        if str(item.get("code", "")).lower() == ONDOC_RECORD_TYPE:
            return str(item["id"])
    return None


class RecordTypeCache:
    """The "ondoc" record type's id, read from scheduling at most once per `ttl_seconds`."""

    def __init__(self, *, ttl_seconds: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._value: str | None = None
        self._read_at: float | None = None
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._read_at is not None and self.clock() - self._read_at < self.ttl_seconds

    async def ondoc_id(self, fetch: Fetch) -> str | None:
        """The id (None when scheduling has no such type); `fetch` reads the list (None when it
        could not be read). Concurrent bookings on a cold cache read it once."""
        if self._fresh():
            return self._value
        async with self._lock:
            if self._fresh():
                return self._value
            items = await fetch()
            if items is None:
                return None
            self._value, self._read_at = ondoc_type_id(items), self.clock()
            if self._value is None:
                log.warning("ondoc.booking.record_type_missing", code=ONDOC_RECORD_TYPE)
            return self._value


def of(runtime: ServiceRuntime) -> RecordTypeCache:
    """The cache of this process (one per running bridge app)."""
    cache = runtime.state.get(STATE_KEY)
    if cache is None:
        cache = runtime.state[STATE_KEY] = RecordTypeCache()
    return cache
