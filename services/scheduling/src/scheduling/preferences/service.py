"""Read and change the scheduling settings.

The settings row is read by every booking, free-time search and calendar, and changes a few
times a year. Each process therefore keeps a copy for `SNAPSHOT_SECONDS` (one round trip and
an ORM load less per booking). A change made through this process is seen at once: the copy
is dropped when the change commits. Other replicas see it within `SNAPSHOT_SECONDS`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from clinic_shared.logging import get_logger
from scheduling.preferences import repository
from scheduling.preferences.models import BookingSettings
from scheduling.preferences.schemas import PreferencesRead, PreferencesUpdate

log = get_logger(__name__)
SNAPSHOT_SECONDS = 1.0


@dataclass(frozen=True)
class Prefs:
    """The settings in force, as read (a copy shared by the requests of a process)."""

    grid_step_minutes: int
    deletion_reason_required: bool
    booking_horizon_days: int
    booking_past_days: int

    @classmethod
    def of(cls, row: BookingSettings) -> Prefs:
        return cls(row.grid_step_minutes, row.deletion_reason_required, row.booking_horizon_days, row.booking_past_days)


# Per database (embedded tests run several platforms in one process): when read, and what.
_snapshots: WeakKeyDictionary[Engine, tuple[float, Prefs]] = WeakKeyDictionary()


async def current(session: AsyncSession) -> Prefs:
    """The settings in force (a copy at most `SNAPSHOT_SECONDS` old)."""
    engine = session.get_bind()
    known = _snapshots.get(engine)
    now = time.monotonic()
    if known is not None and now - known[0] < SNAPSHOT_SECONDS:
        return known[1]
    prefs = Prefs.of(await repository.get_or_create(session))
    _snapshots[engine] = (now, prefs)
    return prefs


async def stored(session: AsyncSession) -> BookingSettings:
    """The settings row itself, read now (what the settings screen shows, with who changed it)."""
    return await repository.get_or_create(session)


async def update(session: AsyncSession, *, principal: Principal, data: PreferencesUpdate) -> BookingSettings:
    """Change the settings sent."""
    row = await repository.get_or_create(session, for_update=True)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by_username = principal.username
    await session.flush()
    engine = session.get_bind()
    _snapshots.pop(engine, None)
    # … and again once committed: a request in between may have read the old row meanwhile.
    event.listen(session.sync_session, "after_commit", lambda _session: _snapshots.pop(engine, None), once=True)
    log.info("scheduling.settings.updated", by=principal.username)
    return row


def present(row: BookingSettings, *, timezone: str) -> PreferencesRead:
    """The settings as the API shows them."""
    return PreferencesRead(
        grid_step_minutes=row.grid_step_minutes,
        deletion_reason_required=row.deletion_reason_required,
        booking_horizon_days=row.booking_horizon_days,
        booking_past_days=row.booking_past_days,
        timezone=timezone,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
    )
