"""Booking and cancelling from ONDOC through scheduling's API (OND-5).

The bridge calls scheduling with its own service token (no user is behind a callback); the
same checks as for any booking apply there, and a refusal goes back to ONDOC as a clear 409.

Each callback is handled in three steps, so that no transaction of the bridge is open while
scheduling is called (#19): `plan_*` reads what the call needs in the transaction that claims
the callback; `*_in_scheduling` calls scheduling after that transaction committed;
`record_booking` keeps the answer in a short transaction of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import ClinicError, Conflict, NotFound, ServiceUnavailable, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import PeerClient, ServiceRuntime
from ondoc_bridge.booking import record_types
from ondoc_bridge.booking.models import OndocBooking
from ondoc_bridge.booking.repository import BookingRepository
from ondoc_bridge.config import service as config_service
from ondoc_bridge.directories.repository import MappingRepository
from ondoc_bridge.links.models import PatientLink
from ondoc_bridge.links.repository import LinkRepository
from ondoc_bridge.ondoc.contract import BookCallback, CancelCallback
from ondoc_bridge.zones import from_clinic_time

log = get_logger(__name__)
ONDOC_RECORD_TYPE = record_types.ONDOC_RECORD_TYPE
ONDOC_PATIENT_REASON = "ondoc_patient"  # the code of scheduling's reserved deletion reason (OND-5)
Answer = tuple[int, dict[str, Any]]


def idempotency_key(callback_id: str) -> str:
    """The key a booking is sent to scheduling with: a repeat of the callback (our answer lost,
    or a delivery that died after scheduling booked) gets the same appointment back, not a 409."""
    return f"ondoc:{callback_id}"


@dataclass(frozen=True)
class BookingPlan:
    """A booking as scheduling will be asked for it, read while the callback was claimed."""

    ondoc_appointment_id: str
    ondoc_patient_id: str
    patient_id: uuid.UUID
    body: dict[str, Any]  # POST /appointments, without the record type


@dataclass(frozen=True)
class Booked:
    """Scheduling's appointment made for a booking."""

    appointment_id: uuid.UUID
    number: Any
    start: Any
    end: Any


@dataclass(frozen=True)
class CancelPlan:
    """A cancellation as scheduling will be asked for it."""

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    reason: str | None


async def plan_booking(session: AsyncSession, *, request: BookCallback) -> BookingPlan | Answer:
    """What to ask scheduling for the attached patient; the answer at once when ONDOC's booking
    is known already (under another callback id)."""
    link = await _attached(session, request.ondoc_patient_id)
    earlier = await BookingRepository(session).by_ondoc_id(request.ondoc_appointment_id)
    if earlier is not None:
        # The same ONDOC booking under a new callback id: it exists already, say so again.
        return _already_booked(earlier)
    mappings = MappingRepository(session)
    doctor_id = request.doctor_mis_id or await _mapped(mappings, "doctors", request.doctor_ondoc_id, "doctor_ondoc_id")
    service_id = request.service_mis_id
    if service_id is None and request.service_ondoc_id is not None:
        service_id = await _mapped(mappings, "services", request.service_ondoc_id, "service_ondoc_id")
    zone = config_service.zone(await config_service.load(session))
    start = from_clinic_time(request.start, zone)
    end = (
        from_clinic_time(request.end, zone) if request.end else start + timedelta(minutes=request.duration_minutes or 0)
    )
    if end <= start:
        raise ValidationFailed.field("end", "must be after start", "end_before_start")
    body: dict[str, Any] = {
        "doctor_id": str(doctor_id),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "patient_id": str(link.patient_id),
        "note": ("ONDOC: " + request.comment) if request.comment else "ONDOC",
    }
    if service_id is not None:
        body["services"] = [{"service_id": str(service_id), "quantity": 1}]
    return BookingPlan(
        ondoc_appointment_id=request.ondoc_appointment_id,
        ondoc_patient_id=request.ondoc_patient_id,
        patient_id=link.patient_id,
        body=body,
    )


async def book_in_scheduling(runtime: ServiceRuntime, plan: BookingPlan, *, callback_id: str) -> Booked:
    """Book the slot in scheduling (no transaction of ours is open); a refusal is raised."""
    client = runtime.peer("scheduling")
    body = dict(plan.body)
    record_type_id = await record_types.of(runtime).ondoc_id(lambda: _list(client, "/record-types"))
    if record_type_id is not None:
        body["record_type_id"] = record_type_id
    response = await _call(
        client, "POST", "/appointments", json=body, headers={"Idempotency-Key": idempotency_key(callback_id)}
    )
    if response.status_code not in (200, 201):
        raise _refusal(response, "The slot cannot be booked")
    created = response.json()
    return Booked(
        appointment_id=uuid.UUID(str(created["id"])),
        number=created.get("number"),
        start=created.get("start", body["start"]),
        end=created.get("end", body["end"]),
    )


async def record_booking(
    session: AsyncSession, plan: BookingPlan, booked: Booked, *, callback_id: str, now: datetime
) -> Answer:
    """Keep which of our appointments ONDOC's booking is; answer our appointment id."""
    bookings = BookingRepository(session)
    earlier = await bookings.by_ondoc_id(plan.ondoc_appointment_id)
    if earlier is not None and earlier.appointment_id != booked.appointment_id:
        # Another delivery of the same ONDOC booking, under another callback id, was recorded
        # while scheduling was booking this one: ONDOC keeps the first; the second appointment
        # is named in the log for staff to delete (ids only).
        log.warning(
            "ondoc.booking.booked_twice",
            appointment_id=str(booked.appointment_id),
            kept_appointment_id=str(earlier.appointment_id),
        )
        return _already_booked(earlier)
    if earlier is None:
        await bookings.add(
            OndocBooking(
                appointment_id=booked.appointment_id,
                ondoc_appointment_id=plan.ondoc_appointment_id,
                ondoc_patient_id=plan.ondoc_patient_id,
                patient_id=plan.patient_id,
                callback_id=callback_id,
                created_at=now,
            )
        )
        log.info("ondoc.booking.created", appointment_id=str(booked.appointment_id))
    return 201, {
        "appointment_id": str(booked.appointment_id),
        "number": booked.number,
        "start": booked.start,
        "end": booked.end,
    }


async def plan_cancel(session: AsyncSession, *, request: CancelCallback) -> CancelPlan:
    """Which appointment of the attached patient to cancel."""
    link = await _attached(session, request.ondoc_patient_id)
    appointment_id = request.mis_appointment_id
    if appointment_id is None:
        booking = await BookingRepository(session).by_ondoc_id(request.ondoc_appointment_id or "")
        if booking is None:
            raise NotFound("No appointment of the clinic has this ONDOC id.")
        appointment_id = booking.appointment_id
    reason = request.reason.strip() if request.reason and request.reason.strip() else None
    return CancelPlan(appointment_id=appointment_id, patient_id=link.patient_id, reason=reason)


async def cancel_in_scheduling(runtime: ServiceRuntime, plan: CancelPlan) -> Answer:
    """Delete (into the trash) the appointment, with ONDOC's reason (no transaction of ours is open)."""
    appointment_id = plan.appointment_id
    client = runtime.peer("scheduling")
    response = await _call(client, "GET", f"/appointments/{appointment_id}")
    if response.status_code == 404:
        raise NotFound("No such appointment.")
    if response.status_code != 200:
        raise _refusal(response, "The appointment cannot be read")
    appointment = response.json()
    if str(appointment.get("patient_id")) != str(plan.patient_id):
        # Someone else's appointment looks exactly like a missing one.
        raise NotFound("No such appointment.")
    answer = {"appointment_id": str(appointment_id), "status": "cancelled"}
    if appointment.get("deleted"):
        return 200, answer
    # Always goes through: scheduling records its reserved reason «Отменена пациентом в ONDOC»,
    # named by its code (no lookup that could fail and leave the reason out), whatever its
    # "reason required" setting; the patient's own words go as the comment.
    params = {"reason_code": ONDOC_PATIENT_REASON}
    if plan.reason:
        params["comment"] = plan.reason
    response = await _call(client, "DELETE", f"/appointments/{appointment_id}", params=params)
    if response.status_code in (200, 202, 204):
        log.info("ondoc.booking.cancelled", appointment_id=str(appointment_id))
        return 200, answer
    if response.status_code == 404:
        raise NotFound("No such appointment.")
    raise _refusal(response, "The appointment cannot be cancelled")


def _already_booked(booking: OndocBooking) -> Answer:
    return 200, {"appointment_id": str(booking.appointment_id), "already_booked": True}


async def _attached(session: AsyncSession, ondoc_patient_id: str) -> PatientLink:
    link = await LinkRepository(session).attached_for_ondoc(ondoc_patient_id)
    if link is None:
        raise ValidationFailed.field(
            "ondoc_patient_id", "this ONDOC patient is not attached to the clinic", "not_attached"
        )
    return link


async def _mapped(mappings: MappingRepository, kind: str, ondoc_id: str | None, field: str) -> uuid.UUID:
    mapping = await mappings.by_ondoc_id(kind, ondoc_id or "")
    if mapping is None:
        raise ValidationFailed.field(field, f"no item of our {kind} is mapped to this ONDOC id", "not_mapped")
    return mapping.our_id


async def _call(client: httpx.AsyncClient | PeerClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        return await client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        log.warning("ondoc.scheduling.unreachable", error=type(exc).__name__)
        raise ServiceUnavailable("The scheduling service is unavailable; try again later.") from exc


async def _list(client: httpx.AsyncClient | PeerClient, url: str) -> list[dict[str, Any]] | None:
    """One of scheduling's lists (first 500 items); None when scheduling did not answer it."""
    response = await _call(client, "GET", url, params={"limit": 500})
    if response.status_code != 200:
        log.warning("ondoc.scheduling.list_unreadable", url=url, status=response.status_code)
        return None
    body = response.json()
    items = body.get("items", []) if isinstance(body, dict) else body
    return [item for item in items if isinstance(item, dict)]


def _refusal(response: httpx.Response, prefix: str) -> ClinicError:
    """Scheduling's answer as ours: 409 stays a conflict, 4xx bad input, the rest unavailable."""
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    detail = str(problem.get("detail") or response.reason_phrase or "refused")
    if response.status_code == 409:
        extra = {"conflicts": problem["conflicts"]} if "conflicts" in problem else {}
        return Conflict(f"{prefix}: {detail}", reason="slot_unavailable", **extra)
    if response.status_code in (400, 404, 422):
        errors = problem.get("errors") if isinstance(problem.get("errors"), list) else None
        return ValidationFailed(f"{prefix}: {detail}", errors=errors)
    log.warning("ondoc.scheduling.refused", status=response.status_code)
    return ServiceUnavailable(f"{prefix}: the scheduling service answered {response.status_code}.")
