"""Who acts and under which settings: what every appointment operation needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from scheduling import rights
from scheduling.appointments.models import Appointment
from scheduling.events import Publisher
from scheduling.localtime import clinic_today, zone
from scheduling.preferences import service as preferences
from scheduling.preferences.service import Prefs
from scheduling.settings import SchedulingSettings


@dataclass(frozen=True)
class Actor:
    """The user (or system part) a change is journaled under."""

    user_id: uuid.UUID | None
    username: str | None
    can_overbook: bool = False

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        """The actor of a staff request."""
        return cls(principal.user_id, principal.username, principal.has(rights.OVERBOOK))


@dataclass(frozen=True)
class Precondition:
    """The version a staff request says it changes (`If-Match`), and whether it must say one."""

    if_match: str | None
    principal: Principal
    required: bool = True


@dataclass
class Context:
    """One operation's session, outbox, actor and settings."""

    session: AsyncSession
    publisher: Publisher
    actor: Actor
    settings: SchedulingSettings
    prefs: Prefs
    now: datetime = field(default_factory=utcnow)
    # Directory items the operation loaded and checked (doctor, cabinet, services, …): kept so
    # the result is presented without loading them again.
    loaded: list[Any] = field(default_factory=list)
    # A staff request's If-Match; none for the widget, ONDOC and events (nothing to check).
    precondition: Precondition | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The clinic's time zone."""
        return zone(self.settings.timezone)

    @property
    def today(self) -> date:
        """The clinic's date at the time of the operation."""
        return clinic_today(self.tz, self.now)

    def check_version(self, appointment: Appointment) -> None:
        """412 when the request was made from another version of the appointment; 428 when it
        names none and must (clinic_shared.concurrency). Call it on the row locked for update."""
        if self.precondition is not None:
            check_if_match(
                self.precondition.if_match,
                appointment,
                self.precondition.principal,
                required=self.precondition.required,
            )

    def touch(self, appointment: Appointment, *, bump: bool = True) -> None:
        """Record who changed the appointment and when; a change makes a new version."""
        if bump:
            appointment.version += 1
        appointment.updated_at = self.now
        appointment.updated_by = self.actor.user_id
        appointment.updated_by_username = self.actor.username


async def make_context(
    session: AsyncSession,
    *,
    publisher: Publisher,
    actor: Actor,
    settings: SchedulingSettings,
    precondition: Precondition | None = None,
) -> Context:
    """A context with the scheduling settings in force."""
    return Context(session, publisher, actor, settings, await preferences.current(session), precondition=precondition)
