"""Planning: turn events, schedules and the clock into queued message rows.

Every insert goes through the unique key (schedule, target, occasion) with ON CONFLICT, so
two planners (replicas, or an event and a schedule change at once) never make two messages
for the same occasion.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import AppointmentState, AttachCodeIssued, LabResultReady, LabVisitResultsReady
from clinic_shared.logging import get_logger
from notifier.messages.repository import MessageRepository
from notifier.planning import rules
from notifier.planning.occasions import Planned, ScheduleSpec, Window, keeps_other_occasions, plan_birthday
from notifier.planning.occasions import plan_for_appointment as decide_for_appointment
from notifier.projections import service as projections
from notifier.projections.service import DiscountCard
from notifier.schedules.kinds import APPOINTMENT_TYPES, ATTACH_CODE_KIND
from notifier.schedules.models import MailingSchedule
from notifier.schedules.parameters import AfterServices, AfterStatusChange, parse_parameters
from notifier.schedules.repository import ScheduleRepository

log = get_logger(__name__)


def schedule_spec(row: MailingSchedule) -> ScheduleSpec:
    """The stored schedule as planning sees it."""
    return ScheduleSpec(row.id, row.type, row.channel, parse_parameters(row.type, json.loads(row.parameters)))


async def enabled_specs(session: AsyncSession, types: set[str] | frozenset[str]) -> list[ScheduleSpec]:
    """Enabled schedules of the given types."""
    return [schedule_spec(row) for row in await ScheduleRepository(session).enabled_of_types(types)]


def message_row(
    *,
    schedule_key: str,
    schedule_id: uuid.UUID | None,
    kind: str,
    channel: str,
    target_id: uuid.UUID,
    planned: Planned,
    patient_id: uuid.UUID | None,
    appointment_id: uuid.UUID | None,
    now: datetime,
) -> dict[str, Any]:
    """The column values of a newly planned message."""
    return {
        "id": uuid.uuid4(),
        "schedule_key": schedule_key,
        "schedule_id": schedule_id,
        "kind": kind,
        "channel": channel,
        "target_id": target_id,
        "occasion_key": planned.occasion_key,
        "patient_id": patient_id,
        "appointment_id": appointment_id,
        "context": json.dumps(planned.context, sort_keys=True),
        "status": "queued",
        "due_at": planned.due_at,
        "next_attempt_at": planned.due_at,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def _appointment_row(
    schedule: ScheduleSpec, appointment: AppointmentState, planned: Planned, now: datetime
) -> dict[str, Any]:
    return message_row(
        schedule_key=schedule.key,
        schedule_id=schedule.id,
        kind=schedule.type,
        channel=schedule.channel,
        target_id=appointment.id,
        planned=planned,
        patient_id=appointment.patient_id,
        appointment_id=appointment.id,
        now=now,
    )


async def plan_appointment(
    session: AsyncSession,
    *,
    appointment: AppointmentState,
    schedules: list[ScheduleSpec],
    tz: ZoneInfo,
    window: Window,
    now: datetime,
) -> int:
    """Bring the appointment's messages in line with its current state; returns rows planned."""
    repository = MessageRepository(session)
    if appointment.deleted:
        cancelled = await repository.cancel_queued(reason="appointment deleted", now=now, target_id=appointment.id)
        if cancelled:
            log.info("notifier.messages.cancelled", appointment_id=str(appointment.id), count=cancelled)
        return 0
    rows = []
    for schedule in schedules:
        planned = decide_for_appointment(schedule, appointment, tz, window)
        if not keeps_other_occasions(schedule):
            # A moved appointment: the reminder for the old time goes, the new one comes.
            await repository.cancel_queued(
                reason="appointment changed",
                now=now,
                schedule_key=schedule.key,
                target_id=appointment.id,
                except_occasion=planned.occasion_key if planned else None,
            )
        if planned is not None:
            rows.append(_appointment_row(schedule, appointment, planned, now))
    await repository.upsert_planned(rows)
    return len(rows)


async def plan_birthdays(
    session: AsyncSession,
    *,
    schedules: list[ScheduleSpec],
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
) -> int:
    """Queue the birthday greetings due inside the window (idempotent: run it as often as you like)."""
    repository = MessageRepository(session)
    rows = []
    for day in rules.sending_days(window_start, window_end, tz):
        for schedule in schedules:
            days = getattr(schedule.parameters, "days", 0)
            birthday_day = day + timedelta(days=days)
            for patient in await projections.patients_born_on(
                session, rules.birth_month_days_celebrated_on(birthday_day)
            ):
                decided = plan_birthday(schedule, patient, day, tz)
                if decided is None or not window_start <= decided[0].due_at <= window_end:
                    continue
                rows.append(
                    message_row(
                        schedule_key=schedule.key,
                        schedule_id=schedule.id,
                        kind=schedule.type,
                        channel=schedule.channel,
                        target_id=patient.id,
                        planned=decided[0],
                        patient_id=patient.id,
                        appointment_id=None,
                        now=now,
                    )
                )
    # Upsert, not insert: a greeting cancelled by a schedule change comes back when still wanted.
    await repository.upsert_planned(rows)
    return len(rows)


async def plan_lab_result(
    session: AsyncSession, *, result: LabResultReady, occurred_at: datetime, now: datetime
) -> int:
    """Queue "lab result ready" messages for one `lab_result.ready` event.

    Only an order's completion (`all_done`) is news for a patient — the source sends when the
    lab study is «Выполнено»; one message per test result would text them once per test. And
    only for schedules without `only_when_all_done`: those wait for the whole visit
    (`plan_visit_results`), so a visit with orders at two labs sends one message, not two.
    """
    if not result.all_done:
        return 0
    repository = MessageRepository(session)
    count = 0
    for schedule in await enabled_specs(session, {"lab_result_ready"}):
        params = schedule.parameters
        if getattr(params, "only_when_all_done", False):
            continue
        due = occurred_at + timedelta(minutes=getattr(params, "minutes_after", 0))
        row = message_row(
            schedule_key=schedule.key,
            schedule_id=schedule.id,
            kind=schedule.type,
            channel=schedule.channel,
            target_id=result.patient_id,
            planned=Planned(f"order:{result.order_id.hex}", due, {"order_id": str(result.order_id)}),
            patient_id=result.patient_id,
            appointment_id=result.appointment_id,
            now=now,
        )
        count += await repository.insert_if_absent(row)
    return count


async def plan_visit_results(
    session: AsyncSession, *, visit: LabVisitResultsReady, occurred_at: datetime, now: datetime
) -> int:
    """Queue the messages of `only_when_all_done` schedules for one `lab_visit.results_ready`
    (LAB-9): one per visit and round, whatever the number of labs, orders or deliveries."""
    repository = MessageRepository(session)
    count = 0
    for schedule in await enabled_specs(session, {"lab_result_ready"}):
        params = schedule.parameters
        if not getattr(params, "only_when_all_done", False):
            continue
        due = occurred_at + timedelta(minutes=getattr(params, "minutes_after", 0))
        context = {
            "visit_id": str(visit.visit_id),
            "round": visit.round,
            "order_ids": [str(order_id) for order_id in visit.order_ids],
        }
        row = message_row(
            schedule_key=schedule.key,
            schedule_id=schedule.id,
            kind=schedule.type,
            channel=schedule.channel,
            target_id=visit.patient_id,
            planned=Planned(f"visit:{visit.visit_id.hex}:{visit.round}", due, context),
            patient_id=visit.patient_id,
            appointment_id=visit.appointment_id,
            now=now,
        )
        count += await repository.insert_if_absent(row)
    return count


async def plan_discount_card(session: AsyncSession, *, card: DiscountCard, now: datetime) -> int:
    """Queue "discount card issued" messages for a newly issued card."""
    repository = MessageRepository(session)
    count = 0
    for schedule in await enabled_specs(session, {"discount_card_issued"}):
        due = card.issued_at + timedelta(minutes=getattr(schedule.parameters, "minutes_after", 0))
        row = message_row(
            schedule_key=schedule.key,
            schedule_id=schedule.id,
            kind=schedule.type,
            channel=schedule.channel,
            target_id=card.patient_id,
            planned=Planned(f"card:{card.id.hex}", due, {"discount_card_id": str(card.id)}),
            patient_id=card.patient_id,
            appointment_id=None,
            now=now,
        )
        count += await repository.insert_if_absent(row)
    return count


def attach_code_row(
    issued: AttachCodeIssued, *, channel: str, due_at: datetime, now: datetime, fallback: bool
) -> dict[str, Any]:
    """The message that carries an ONDOC attach code over one channel (NOT-8)."""
    context = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
        "priority": issued.contact_priority,
        "fallback": fallback,
    }
    return message_row(
        schedule_key=ATTACH_CODE_KIND,
        schedule_id=None,
        kind=ATTACH_CODE_KIND,
        channel=channel,
        target_id=issued.patient_id,
        planned=Planned(f"code:{issued.code}:{channel}", due_at, context),
        patient_id=issued.patient_id,
        appointment_id=None,
        now=now,
    )


async def plan_attach_code(session: AsyncSession, *, issued: AttachCodeIssued, now: datetime) -> bool:
    """Queue the attach code for the preferred contact; the dispatcher falls back to the other."""
    channel = "sms" if issued.contact_priority == "mobile" else "email"
    return await MessageRepository(session).insert_if_absent(
        attach_code_row(issued, channel=channel, due_at=now, now=now, fallback=False)
    )


async def replan_schedule(session: AsyncSession, *, schedule: ScheduleSpec, tz: ZoneInfo, now: datetime) -> int:
    """After a schedule is created or changed: plan it for every appointment it may concern."""
    if schedule.type not in APPOINTMENT_TYPES:
        return 0
    params = schedule.parameters
    earliest_start = now
    if isinstance(params, AfterServices):
        earliest_start = now - timedelta(days=params.days_after + 1)
    elif isinstance(params, AfterStatusChange):
        earliest_start = now - timedelta(minutes=params.minutes, days=1)
    window = Window(earliest=now, earliest_triggered=now)
    rows = []
    for appointment in await projections.active_appointments_from(session, earliest_start):
        planned = decide_for_appointment(schedule, appointment, tz, window)
        if planned is not None:
            rows.append(_appointment_row(schedule, appointment, planned, now))
    await MessageRepository(session).upsert_planned(rows)
    log.info("notifier.schedule.replanned", schedule_id=str(schedule.id), planned=len(rows))
    return len(rows)
