"""Read and change the scheduling settings.

The settings row is read by every booking, free-time search and calendar, and changes a few
times a year. Each process therefore keeps a copy for `SNAPSHOT_SECONDS` (one round trip and
an ORM load less per booking). A change made through this process is seen at once: the copy
is dropped when the change commits. Other replicas see it within `SNAPSHOT_SECONDS`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match, etag
from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from clinic_shared.logging import get_logger
from scheduling.directories import repository as directories
from scheduling.directories.models import Doctor
from scheduling.preferences import repository
from scheduling.preferences.models import DEFAULT_DAYS_SHOWN, BookingSettings, UserCalendarView
from scheduling.preferences.schemas import CalendarViewRead, CalendarViewUpdate, PreferencesRead, PreferencesUpdate

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
_snapshots: WeakKeyDictionary[Engine | Connection, tuple[float, Prefs]] = WeakKeyDictionary()


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


async def update(
    session: AsyncSession, *, principal: Principal, data: PreferencesUpdate, if_match: str | None = None
) -> BookingSettings:
    """Change the settings sent; 412 when changed since the caller read them, 428 without If-Match."""
    row = await repository.get_or_create(session, for_update=True)
    check_if_match(if_match, row, principal, required=True)
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
        working_time_colour=row.working_time_colour,
        break_colour=row.break_colour,
        non_working_time_colour=row.non_working_time_colour,
        show_non_working_time=row.show_non_working_time,
        timezone=timezone,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
    )


@dataclass(frozen=True)
class NeverSaved:
    """The version of a calendar view the user never saved (ETag "0")."""

    version: int = 0


def view_version(row: UserCalendarView | None) -> UserCalendarView | NeverSaved:
    """What a calendar view's ETag is taken from: its row, or "never saved"."""
    return row if row is not None else NeverSaved()


async def calendar_view(session: AsyncSession, *, user_id: uuid.UUID) -> tuple[CalendarViewRead, str]:
    """The user's calendar view (the defaults when they never saved one) and its ETag."""
    row = await repository.calendar_view(session, user_id)
    return await present_view(session, row), etag(view_version(row))


async def save_calendar_view(
    session: AsyncSession,
    *,
    principal: Principal,
    user_id: uuid.UUID,
    data: CalendarViewUpdate,
    if_match: str | None = None,
) -> tuple[CalendarViewRead, str]:
    """Change the fields sent of the user's own calendar view (412 / 428 as any setting); the
    view and its new ETag."""
    values = data.model_dump(exclude_unset=True)
    if "doctor_ids" in values:
        wanted = list(dict.fromkeys(data.doctor_ids))  # the user's order, each doctor once
        found = await directories.existing_ids(session, Doctor, wanted)
        missing = [str(doctor_id) for doctor_id in wanted if doctor_id not in found]
        if missing:
            raise ValidationFailed.field("doctor_ids", f"no such doctor: {', '.join(missing)}")
        values["doctor_ids"] = [str(doctor_id) for doctor_id in wanted]
    existing = await repository.calendar_view(session, user_id, for_update=True)
    check_if_match(if_match, view_version(existing), principal, required=True)
    row = existing or await repository.calendar_view_for_update(session, user_id)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    await session.flush()
    log.info("scheduling.calendar_view.saved", user_id=str(user_id))
    return await present_view(session, row), etag(row)


async def present_view(session: AsyncSession, row: UserCalendarView | None) -> CalendarViewRead:
    """The view as the API shows it: doctors since removed from the directory are left out,
    and what the calendar does about non-working time is resolved against the clinic's setting."""
    clinic_shows = (await repository.get_or_create(session)).show_non_working_time
    if row is None:
        return CalendarViewRead(
            doctor_ids=[],
            days_shown=DEFAULT_DAYS_SHOWN,
            show_non_working_time=None,
            non_working_time_shown=clinic_shows,
            updated_at=None,
        )
    saved = [uuid.UUID(doctor_id) for doctor_id in row.doctor_ids]
    found = await directories.existing_ids(session, Doctor, saved)
    return CalendarViewRead(
        doctor_ids=[doctor_id for doctor_id in saved if doctor_id in found],
        days_shown=row.days_shown,
        show_non_working_time=row.show_non_working_time,
        non_working_time_shown=clinic_shows if row.show_non_working_time is None else row.show_non_working_time,
        updated_at=row.updated_at,
    )
