"""The trash (корзина, SCH-6): delete with a reason, restore with the same checks as a booking."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import Conflict, Forbidden, ValidationFailed
from clinic_shared.logging import get_logger
from scheduling.appointments import booking, journal, rules
from scheduling.appointments.context import Context
from scheduling.appointments.models import Appointment
from scheduling.appointments.schemas import RestoreRequest
from scheduling.appointments.service import get_appointment, slot_of
from scheduling.directories import service as directories
from scheduling.directories.models import DeletionReason
from scheduling.events import publish_appointment, publish_waitlist_entry
from scheduling.waitlist.models import WaitlistEntry

log = get_logger(__name__)
# Reserved deletion reasons (migration 9d2e4f6a8b13): a patient's own cancellation, by where.
ONDOC_PATIENT_REASON = "ondoc_patient"
ONLINE_PATIENT_REASON = "online_patient"
# The reserved reasons a caller may name by code when deleting (DELETE /appointments/{id}?reason_code=),
# and the one service allowed to: a patient's cancellation relayed from ONDOC by the bridge. The
# website's reason is recorded by the widget's own cancel (online/widget.py), never named here.
RESERVED_REASON_CALLERS = {ONDOC_PATIENT_REASON: "ondoc"}


def check_reason_code_caller(code: str, service: str | None) -> None:
    """403 unless `service` may record a patient's cancellation with the reserved reason `code`."""
    allowed = RESERVED_REASON_CALLERS.get(code)
    if service is None or service != allowed:
        raise Forbidden(f"Only the {allowed} service may delete with the reserved reason {code}.", reason_code=code)


async def delete_appointment(
    ctx: Context,
    appointment_id: uuid.UUID,
    *,
    reason_id: uuid.UUID | None,
    comment: str | None = None,
    reason_code: str | None = None,
) -> Appointment:
    """Move an appointment into the trash; deleting it again changes nothing. With `reason_code`
    (a reserved reason, its caller checked by `check_reason_code_caller`) it is a patient's own
    cancellation: it goes through whatever the deletion-reason setting (OND-5)."""
    if reason_code is not None and reason_id is not None:
        raise ValidationFailed.field("reason_code", "give either reason_id or reason_code, not both")
    appointment = await get_appointment(ctx.session, appointment_id, for_update=True)
    if appointment.deleted:
        return appointment
    ctx.check_version(appointment)
    if reason_code is not None:
        await cancel_by_patient(ctx, appointment, code=reason_code, comment=comment)
        return appointment
    if reason_id is None and ctx.prefs.deletion_reason_required:
        raise ValidationFailed.field("reason_id", "a deletion reason is required")
    if reason_id is not None:
        await directories.require_item(
            ctx.session, DeletionReason, reason_id, field="reason_id", label="deletion reason"
        )
    await move_to_trash(ctx, appointment, reason_id=reason_id, note=None, comment=comment)
    return appointment


async def reserved_reason(session: AsyncSession, code: str) -> DeletionReason | None:
    """A reserved deletion reason by its code (created by a migration; see RESERVED_REASONS)."""
    statement = select(DeletionReason).where(DeletionReason.code == code, DeletionReason.reserved.is_(True))
    return (await session.execute(statement)).scalar_one_or_none()


async def cancel_by_patient(ctx: Context, appointment: Appointment, *, code: str, comment: str | None) -> None:
    """A patient's own cancellation (ONDOC, the website): always goes through, whatever the
    deletion-reason setting, with the reserved reason naming where it came from."""
    reason = await reserved_reason(ctx.session, code)
    if reason is None:  # only if someone removed it from the database by hand
        log.warning("scheduling.deletion_reason.reserved_missing", code=code)
    await move_to_trash(ctx, appointment, reason_id=reason.id if reason else None, note=None, comment=comment)


async def move_to_trash(
    ctx: Context,
    appointment: Appointment,
    *,
    reason_id: uuid.UUID | None,
    note: str | None,
    comment: str | None = None,
) -> None:
    """Mark deleted, journal and publish `appointment.deleted` (also used by to-waitlist)."""
    before = journal.snapshot(appointment)
    appointment.deleted = True
    appointment.deleted_at = ctx.now
    appointment.deleted_by = ctx.actor.user_id
    appointment.deleted_by_username = ctx.actor.username
    appointment.deletion_reason_id = reason_id
    appointment.deletion_note = note
    appointment.deletion_comment = comment.strip() or None if comment else None
    ctx.touch(appointment)
    await ctx.session.flush()
    changes = rules.diff(before, journal.snapshot(appointment))
    if note:
        changes.append({"field": "deletion_note", "from": None, "to": note})
    if appointment.deletion_comment:
        changes.append({"field": "deletion_comment", "from": None, "to": appointment.deletion_comment})
    await journal.record(
        ctx.session,
        appointment,
        action="deleted",
        changes=changes,
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
    )
    await publish_appointment(
        ctx.publisher, ctx.session, "appointment.deleted", appointment, timezone=ctx.settings.timezone
    )
    log.info("scheduling.appointment.deleted", appointment_id=str(appointment.id))


async def restore_appointment(ctx: Context, appointment_id: uuid.UUID, data: RestoreRequest) -> Appointment:
    """Back to its slot, or to another time/doctor; 409 when the slot is no longer free."""
    appointment = await get_appointment(ctx.session, appointment_id, for_update=True)
    ctx.check_version(appointment)
    if not appointment.deleted:
        raise Conflict("The appointment is not in the trash.", code="appointment-not-deleted", reason="not_deleted")
    sent = data.model_fields_set
    doctor_id = data.doctor_id or appointment.doctor_id
    if "cabinet_id" in sent:
        cabinet_id = data.cabinet_id
    else:
        cabinet_id = appointment.cabinet_id if doctor_id == appointment.doctor_id else None
    slot = await slot_of(
        ctx,
        doctor_id=doctor_id,
        cabinet_id=cabinet_id,
        start=data.start or appointment.start_at,
        end=data.end,
        duration_minutes=data.duration_minutes,
        overbook=data.overbook,
        default_length=appointment.end_at - appointment.start_at,
    )
    await booking.check_slot(ctx, slot, exclude_id=appointment.id)
    before = journal.snapshot(appointment)

    def apply() -> None:
        booking.place(appointment, slot)
        appointment.deleted = False
        appointment.deleted_at = None
        appointment.deleted_by = None
        appointment.deleted_by_username = None
        appointment.deletion_reason_id = None
        appointment.deletion_note = None
        appointment.deletion_comment = None
        ctx.touch(appointment)

    await booking.write_in_slot(ctx, slot, appointment.id, apply)
    # A patient moved to the waiting list and restored is no longer waiting.
    waiting = await ctx.session.scalars(
        select(WaitlistEntry).where(WaitlistEntry.source_appointment_id == appointment.id)
    )
    for entry in waiting.all():
        await publish_waitlist_entry(ctx.publisher, ctx.session, "waitlist_entry.deleted", entry)
        await ctx.session.delete(entry)
    await journal.record(
        ctx.session,
        appointment,
        action="restored",
        changes=rules.diff(before, journal.snapshot(appointment)),
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
    )
    if slot.overbook:
        await booking.journal_overbook(ctx, appointment)
    await publish_appointment(
        ctx.publisher, ctx.session, "appointment.restored", appointment, timezone=ctx.settings.timezone
    )
    log.info("scheduling.appointment.restored", appointment_id=str(appointment.id))
    return appointment
