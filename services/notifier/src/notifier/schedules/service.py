"""Create, change and delete mailing schedules (NOT-2/NOT-3); keeps their messages planned."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.errors import NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from notifier.messages.repository import MessageRepository
from notifier.planning import service as planning
from notifier.schedules.models import MailingSchedule
from notifier.schedules.parameters import PARAMETER_FIELDS, parameters_dict, parse_parameters
from notifier.schedules.repository import ScheduleRepository
from notifier.schedules.schemas import ScheduleCreate, ScheduleRead, ScheduleUpdate
from notifier.templates.defaults import DEFAULT_TEMPLATES
from notifier.templates.rendering import unavailable_parameters, unknown_parameters

log = get_logger(__name__)


def check_template(text: str | None, *, schedule_type: str, field: str) -> None:
    """Refuse unknown parameters and parameters this schedule type cannot fill (422 naming `field`)."""
    if not text:
        return
    unknown = unknown_parameters(text)
    if unknown:
        names = ", ".join(f"%{name}%" for name in unknown)
        raise ValidationFailed(
            f"{field}: unknown parameter {names}",
            errors=[
                {"field": field, "code": "unknown_parameter", "message": f"unknown parameter %{name}%"}
                for name in unknown
            ],
            unknown_parameters=unknown,
        )
    unavailable = unavailable_parameters(text, schedule_type)
    if unavailable:
        names = ", ".join(f"%{name}%" for name in unavailable)
        raise ValidationFailed(
            f"{field}: {names} cannot be filled in {schedule_type} schedules",
            errors=[
                {
                    "field": field,
                    "code": "unavailable_parameter",
                    "message": f"%{name}% is not available in {schedule_type} schedules",
                }
                for name in unavailable
            ],
        )


def _checked(
    *, schedule_type: str, channel: str, template: str, subject: str | None, params: dict[str, Any]
) -> tuple[str, str | None]:
    parameters = parse_parameters(schedule_type, params)
    check_template(template, schedule_type=schedule_type, field="template")
    if channel == "email":
        if not subject:
            raise ValidationFailed.field("subject", "is required for email schedules", "required_for_email")
        check_template(subject, schedule_type=schedule_type, field="subject")
    else:
        subject = None  # an SMS has no subject
    return json.dumps(parameters_dict(parameters), sort_keys=True), subject


def to_read(row: MailingSchedule) -> ScheduleRead:
    """The schedule with its type's parameters."""
    return ScheduleRead(
        id=row.id,
        name=row.name,
        type=row.type,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        channel=row.channel,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        enabled=row.enabled,
        template=row.template,
        subject=row.subject,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
        **json.loads(row.parameters),
    )


async def get_schedule(session: AsyncSession, schedule_id: uuid.UUID) -> MailingSchedule:
    """The schedule, or 404."""
    row = await ScheduleRepository(session).get(schedule_id)
    if row is None:
        raise NotFound(f"Mailing schedule {schedule_id} does not exist.")
    return row


async def list_schedules(
    session: AsyncSession,
    *,
    schedule_type: str | None,
    channel: str | None,
    enabled: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[MailingSchedule], int]:
    """Schedules, oldest first, optionally filtered."""
    return await ScheduleRepository(session).page_filtered(
        schedule_type=schedule_type, channel=channel, enabled=enabled, limit=limit, offset=offset
    )


async def create_schedule(
    session: AsyncSession, *, data: ScheduleCreate, principal: Principal, tz: ZoneInfo, now: datetime
) -> MailingSchedule:
    """Create a schedule and plan its messages for the appointments it concerns."""
    params = {
        k: v for k, v in data.model_dump(include=set(PARAMETER_FIELDS), exclude_unset=True).items() if v is not None
    }
    template, subject = data.template, data.subject
    if template is None:  # the type's Russian text, and its subject unless one was given
        default = DEFAULT_TEMPLATES[data.type]
        template, subject = default.template, subject or default.subject
    parameters, subject = _checked(
        schedule_type=data.type, channel=data.channel, template=template, subject=subject, params=params
    )
    row = MailingSchedule(
        id=uuid.uuid4(),
        name=data.name,
        type=data.type,
        channel=data.channel,
        enabled=data.enabled,
        template=template,
        subject=subject,
        parameters=parameters,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by_username=principal.username,
    )
    await ScheduleRepository(session).add(row)
    if row.enabled:
        await planning.replan_schedule(session, schedule=planning.schedule_spec(row), tz=tz, now=now)
    log.info("notifier.schedule.created", schedule_id=str(row.id), type=row.type, channel=row.channel)
    return row


async def update_schedule(
    session: AsyncSession,
    *,
    schedule_id: uuid.UUID,
    data: ScheduleUpdate,
    principal: Principal,
    tz: ZoneInfo,
    now: datetime,
    if_match: str | None = None,
) -> MailingSchedule:
    """Change a schedule; when what it plans changes, its queued messages are planned again.
    `if_match` names the version the change was made from (412 on another; optional)."""
    row = await ScheduleRepository(session).get(schedule_id, for_update=True)
    if row is None:
        raise NotFound(f"Mailing schedule {schedule_id} does not exist.")
    check_if_match(if_match, row, principal)
    given = data.model_dump(exclude_unset=True)
    schedule_type = given.get("type") or row.type
    channel = given.get("channel") or row.channel
    params = json.loads(row.parameters) if schedule_type == row.type else {}
    for key in PARAMETER_FIELDS & given.keys():
        params[key] = given[key]
    params = {k: v for k, v in params.items() if v is not None}
    template = given.get("template") or row.template
    subject = given["subject"] if "subject" in given else row.subject
    parameters, subject = _checked(
        schedule_type=schedule_type, channel=channel, template=template, subject=subject, params=params
    )
    enabled = row.enabled if given.get("enabled") is None else bool(given["enabled"])
    planning_changed = (schedule_type, channel, parameters, enabled) != (
        row.type,
        row.channel,
        row.parameters,
        row.enabled,
    )
    if given.get("name"):
        row.name = given["name"]
    row.type, row.channel, row.template, row.subject = schedule_type, channel, template, subject
    row.parameters, row.enabled = parameters, enabled
    row.version += 1
    row.updated_at = now
    row.updated_by_username = principal.username
    await session.flush()
    if planning_changed:
        await MessageRepository(session).cancel_queued(reason="schedule changed", now=now, schedule_key=row.id.hex)
        if row.enabled:
            await planning.replan_schedule(session, schedule=planning.schedule_spec(row), tz=tz, now=now)
    log.info("notifier.schedule.updated", schedule_id=str(row.id), replanned=planning_changed)
    return row


async def delete_schedule(
    session: AsyncSession, *, schedule_id: uuid.UUID, now: datetime, if_match: str | None = None
) -> None:
    """Delete a schedule and cancel its queued messages (the log keeps what was sent); 412 when
    `if_match` names another version."""
    repository = ScheduleRepository(session)
    row = await repository.get(schedule_id, for_update=True)
    if row is None:
        raise NotFound(f"Mailing schedule {schedule_id} does not exist.")
    check_if_match(if_match, row, None)
    cancelled = await MessageRepository(session).cancel_queued(
        reason="schedule deleted", now=now, schedule_key=row.id.hex
    )
    await repository.delete(row)
    log.info("notifier.schedule.deleted", schedule_id=str(schedule_id), cancelled=cancelled)
