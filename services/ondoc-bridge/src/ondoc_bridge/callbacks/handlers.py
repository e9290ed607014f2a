"""What each callback does once it is authenticated and new. Each returns (status, body) or
raises a typed error (recorded as the callback's answer), in the transaction that claimed the
callback; one that must call another service returns `Outside` instead: the rest of its work,
done after that transaction committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ValidationFailed
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.appointments import service as appointments_service
from ondoc_bridge.attach import service as attach_service
from ondoc_bridge.booking import service as booking_service
from ondoc_bridge.cards.repository import CardRepository
from ondoc_bridge.links import service as links_service
from ondoc_bridge.ondoc.contract import AttachCallback, BookCallback, CancelCallback, DetachCallback

Answer = tuple[int, dict[str, Any]]
BAD_CODE = "The code is unknown, expired or already used."
T = TypeVar("T")


@dataclass(frozen=True)
class Outside(Generic[T]):
    """What is left of a callback once its claim is committed: `call` another service with no
    transaction of ours open (a call can take seconds; holding a transaction that long would
    hold a pooled connection and, on SQLite, the only writer's lock), then `record` what it
    answered in a short transaction of its own."""

    call: Callable[[], Awaitable[T]]
    record: Callable[[AsyncSession, T, datetime], Awaitable[Answer]]


async def answered(session: AsyncSession, answer: Answer, now: datetime) -> Answer:
    """`record` of a call whose answer is all there is to keep."""
    return answer


async def attach(
    session: AsyncSession, runtime: ServiceRuntime, body: AttachCallback, callback_id: str, now: datetime
) -> Answer:
    """The patient entered a code in ONDOC: link the card, queue its upcoming appointments."""
    code = await attach_service.use_code(session, code=body.code, now=now)
    if code is None:
        # One answer for unknown, expired, used and revoked codes: nothing to learn by guessing.
        raise ValidationFailed.field("code", BAD_CODE, "invalid_code")
    link = await links_service.attach(
        session, patient_id=code.patient_id, ondoc_patient_id=body.ondoc_patient_id, code_id=code.id, now=now
    )
    queued = await appointments_service.queue_upcoming(
        session, patient_id=link.patient_id, ondoc_patient_id=link.ondoc_patient_id, now=now
    )
    numbers = await CardRepository(session).card_numbers([link.patient_id])
    return 200, {
        "patient_id": str(link.patient_id),
        "mis_id": numbers.get(link.patient_id, str(link.patient_id)),
        "attached_at": link.attached_at.isoformat(),
        "upcoming_appointments": queued,
    }


async def detach(
    session: AsyncSession, runtime: ServiceRuntime, body: DetachCallback, callback_id: str, now: datetime
) -> Answer:
    """The patient was detached in ONDOC: end the link here (a new code is needed to come back)."""
    link = await links_service.detach_by_ondoc(
        session, ondoc_patient_id=body.ondoc_patient_id, initiator=body.initiator, reason=body.reason, now=now
    )
    return 200, {"detached": link is not None, "patient_id": str(link.patient_id) if link else None}


async def book(
    session: AsyncSession, runtime: ServiceRuntime, body: BookCallback, callback_id: str, now: datetime
) -> Answer | Outside[booking_service.Booked]:
    """A patient booked a slot in ONDOC: book it in scheduling with the same checks."""
    plan = await booking_service.plan_booking(session, request=body)
    if not isinstance(plan, booking_service.BookingPlan):
        return plan

    async def record(session: AsyncSession, booked: booking_service.Booked, now: datetime) -> Answer:
        return await booking_service.record_booking(session, plan, booked, callback_id=callback_id, now=now)

    return Outside(
        call=lambda: booking_service.book_in_scheduling(runtime, plan, callback_id=callback_id), record=record
    )


async def cancel(
    session: AsyncSession, runtime: ServiceRuntime, body: CancelCallback, callback_id: str, now: datetime
) -> Outside[Answer]:
    """A patient cancelled in ONDOC: delete the appointment here with the reason."""
    plan = await booking_service.plan_cancel(session, request=body)
    return Outside(call=lambda: booking_service.cancel_in_scheduling(runtime, plan), record=answered)
