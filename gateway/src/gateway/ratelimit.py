"""Login throttling and the public API's rate limits, shared by every gateway replica.

The counts live in the gateway's database (`counters`), so they hold across replicas and
restarts; each check or count is one statement.

Logins. A failure counts for two keys:
- the username from this address: after `login_max_failures` failures each further try waits,
  1 s, 2 s, 4 s … up to `login_max_delay_seconds`. Someone elsewhere cannot lock the admin out:
  their failures count for their own address only. A success forgives this key.
- the address, whatever the username (password spraying), with a larger limit: a clinic's
  whole front desk may share one NAT address. A success does not forgive it, or anyone with an
  account could guess between logins of their own.
Failures older than `login_window_seconds` are forgotten. An administrator can also forgive a
username's failures (`POST /api/auth/users/{id}/unlock`).

The public widget API: requests per client address and minute, bookings and cancellations per
client address and hour, requests per API key (all clients together) and minute. A window
begins with the first request after the last window ended.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import insert_for, rows_affected, utcnow
from gateway.models import Counter


@dataclass(frozen=True)
class _Key:
    key: str
    limit: int
    username: str | None = None


class LoginThrottle:
    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: int,
        max_failures_per_address: int | None = None,
        max_delay_seconds: int = 300,
    ) -> None:
        self.max_failures = max_failures
        self.max_per_address = max_failures_per_address or 4 * max_failures
        self.window = timedelta(seconds=window_seconds)
        self.max_delay = max_delay_seconds

    def keys(self, username: str, address: str) -> tuple[_Key, _Key]:
        name = username.strip().lower()[:64]
        return _Key(f"login:{address}:{name}", self.max_failures, name), _Key(f"login:{address}", self.max_per_address)

    def delay(self, failures: int, limit: int) -> int:
        """Seconds to wait after `failures` failures (0 below the limit), doubling, capped."""
        if failures < limit:
            return 0
        return min(self.max_delay, 2 ** min(failures - limit, 30))

    async def retry_after(self, session: AsyncSession, username: str, address: str) -> int:
        """Seconds before another try of this username from this address is allowed (0: now)."""
        now = utcnow()
        keys = [k.key for k in self.keys(username, address)]
        rows = (await session.execute(select(Counter.blocked_until).where(Counter.key.in_(keys)))).scalars()
        waits = [(until - now).total_seconds() for until in rows if until is not None and until > now]
        return math.ceil(max(waits)) if waits else 0

    async def failed(self, session: AsyncSession, username: str, address: str) -> None:
        now = utcnow()
        for key in self.keys(username, address):
            failures, _ = await _count(session, key, stale_before=now - self.window, now=now)
            wait = self.delay(failures, key.limit)
            if wait:
                await session.execute(
                    update(Counter).where(Counter.key == key.key).values(blocked_until=now + timedelta(seconds=wait))
                )

    async def succeeded(self, session: AsyncSession, username: str, address: str) -> None:
        await session.execute(delete(Counter).where(Counter.key == self.keys(username, address)[0].key))

    async def forgive(self, session: AsyncSession, username: str) -> int:
        """Forget a username's failures from every address; how many addresses held it back."""
        result = await session.execute(delete(Counter).where(Counter.username == username.strip().lower()[:64]))
        return rows_affected(result)


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window: timedelta


class PublicRateLimits:
    """The widget API's limits; `check` counts one request and answers the wait if over."""

    def __init__(self, *, per_client_minute: int, writes_per_client_hour: int, per_key_minute: int) -> None:
        self.per_client_minute = per_client_minute
        self.writes_per_client_hour = writes_per_client_hour
        self.per_key_minute = per_key_minute

    def limits(self, *, api_key: str | None, address: str, write: bool) -> list[Limit]:
        minute, hour = timedelta(minutes=1), timedelta(hours=1)
        limits = [Limit(f"widget:client:{address}", self.per_client_minute, minute)]
        if write:
            limits.append(Limit(f"widget:writes:{address}", self.writes_per_client_hour, hour))
        if api_key:
            # The key itself is a credential: only a digest of it is stored.
            digest = hashlib.sha256(api_key.encode("utf-8", "replace")).hexdigest()[:32]
            limits.append(Limit(f"widget:key:{digest}", self.per_key_minute, minute))
        return limits

    async def check(self, session: AsyncSession, limits: list[Limit]) -> int:
        """Count this request against each limit; seconds to wait if any is exceeded, else 0."""
        now = utcnow()
        wait = 0.0
        for limit in limits:
            count, started = await _count(
                session, _Key(limit.key, limit.limit), stale_before=now - limit.window, now=now
            )
            if count > limit.limit:
                wait = max(wait, (started + limit.window - now).total_seconds())
        return max(1, math.ceil(wait)) if wait else 0


async def _count(session: AsyncSession, key: _Key, *, stale_before: datetime, now: datetime) -> tuple[int, datetime]:
    """Add one to a counter; its count and when its window began. A counter whose window began
    before `stale_before` starts again at 1, its window beginning now. One statement, safe
    across replicas."""
    insert = insert_for(session.get_bind().dialect.name)
    stale = Counter.window_started_at < stale_before
    statement = (
        insert(Counter)
        .values(key=key.key, count=1, window_started_at=now, username=key.username)
        .on_conflict_do_update(
            index_elements=[Counter.key],
            set_={
                "count": case((stale, 1), else_=Counter.count + 1),
                "window_started_at": case((stale, now), else_=Counter.window_started_at),
                "blocked_until": case((stale, None), else_=Counter.blocked_until),
            },
        )
        .returning(Counter.count, Counter.window_started_at)
    )
    count, started = (await session.execute(statement)).one()
    return int(count), started


async def prune_counters(session: AsyncSession, *, older_than: timedelta = timedelta(days=1)) -> None:
    """Drop counters nobody has touched for a day and that hold nothing back."""
    now = utcnow()
    await session.execute(
        delete(Counter).where(
            Counter.window_started_at < now - older_than,
            or_(Counter.blocked_until.is_(None), Counter.blocked_until < now),
        )
    )
