"""Which message a schedule wants for an appointment or a birthday: pure functions, no I/O.

Each answer is a `Planned` message (occasion key, due time, context) or None. The occasion
key makes a message unique per schedule and target: a reminder's occasion is the
appointment's start, so a moved appointment gets a new reminder and the old one is cancelled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic_shared.events import AppointmentState, PatientState
from notifier.planning import rules
from notifier.schedules.parameters import (
    AfterServices,
    AfterStatusChange,
    DaysBeforeAppointment,
    DaysBeforeBirthday,
    MinutesBeforeAppointment,
    ScheduleParameters,
)


@dataclass(frozen=True)
class ScheduleSpec:
    """What planning needs of a mailing schedule."""

    id: uuid.UUID
    type: str
    channel: str
    parameters: ScheduleParameters

    @property
    def key(self) -> str:
        return self.id.hex


@dataclass(frozen=True)
class Planned:
    occasion_key: str
    due_at: datetime
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """Due times planning accepts: reminders due before `earliest` are not planned (too late).

    From an event, `earliest` is when the event happened (a reminder that was due before the
    appointment existed is never sent; one that fell due while the notifier was down is);
    from a schedule change it is now (a new schedule does not send what is already past).
    `earliest_triggered` is the same bound for messages a status change triggers.
    """

    earliest: datetime
    earliest_triggered: datetime


def _day_type_ok(day_type_ids: list[uuid.UUID] | None, appointment: AppointmentState) -> bool:
    return not day_type_ids or appointment.day_type_id in day_type_ids


def _created_on_sending_day(appointment: AppointmentState, due: datetime, tz: ZoneInfo) -> bool:
    # Without a creation time we cannot tell: such an appointment does not qualify.
    return appointment.created_at is not None and rules.same_local_day(appointment.created_at, due, tz)


def plan_for_appointment(
    schedule: ScheduleSpec, appointment: AppointmentState, tz: ZoneInfo, window: Window
) -> Planned | None:
    """The message `schedule` wants for `appointment` now, or None."""
    if appointment.deleted:
        return None
    params = schedule.parameters
    start = appointment.start
    context = {"start": rules.occasion_at(start)}
    if isinstance(params, DaysBeforeAppointment):
        due = rules.days_before_due(start, params.days, params.send_time, tz)
        if due >= start or due < window.earliest:
            return None
        return Planned(f"start:{rules.occasion_at(start)}", due, context)
    if isinstance(params, MinutesBeforeAppointment):
        due = rules.minutes_before_due(start, params.minutes)
        if not _day_type_ok(params.day_type_ids, appointment) or due < window.earliest:
            return None
        if params.only_created_on_sending_day and not _created_on_sending_day(appointment, due, tz):
            return None
        return Planned(f"start:{rules.occasion_at(start)}", due, context)
    if isinstance(params, AfterServices):
        if not set(params.service_ids) & set(appointment.service_ids):
            return None
        due = rules.days_after_due(start, params.days_after, params.send_time, tz)
        if due < window.earliest:
            return None
        return Planned("services", due, context)
    if isinstance(params, AfterStatusChange):
        changed_at = appointment.status_changed_at
        if appointment.status_id != params.status_id or changed_at is None:
            return None
        due = changed_at.astimezone(UTC) + timedelta(minutes=params.minutes)
        if not _day_type_ok(params.day_type_ids, appointment) or due < window.earliest_triggered:
            return None
        if params.only_created_on_sending_day and not _created_on_sending_day(appointment, due, tz):
            return None
        occasion = f"status:{params.status_id.hex}:{rules.occasion_at(changed_at)}"
        return Planned(occasion, due, {**context, "status_changed_at": rules.occasion_at(changed_at)})
    return None


def keeps_other_occasions(schedule: ScheduleSpec) -> bool:
    """A status-change message stays when the status moves on; reminders follow the appointment."""
    return isinstance(schedule.parameters, AfterStatusChange)


def plan_birthday(
    schedule: ScheduleSpec, patient: PatientState, sending_day: date, tz: ZoneInfo
) -> tuple[Planned, date] | None:
    """The greeting `schedule` sends to `patient` on the local `sending_day`, with the birthday it is for."""
    params = schedule.parameters
    if not isinstance(params, DaysBeforeBirthday) or patient.birth_date is None or patient.deleted:
        return None
    target_day = sending_day + timedelta(days=params.days)
    birthday = rules.birthday_in_year(patient.birth_date, target_day.year)
    if birthday != target_day:
        return None
    due = rules.birthday_due(birthday, params.days, params.send_time, tz)
    return Planned(f"birthday:{birthday.year}", due, {"birthday": birthday.isoformat()}), birthday
