"""What scheduling publishes: `appointment.*` and `waitlist_entry.*` events through the
transactional outbox.

Publishes `appointment.created|updated|deleted|restored|status_changed` with the full
`AppointmentState` and `aggregate_version = appointment.version`, and
`waitlist_entry.created|deleted|booked` with `WaitlistEntryState`: an entry is never edited,
only added (version 1) and removed, deleted or booked into a slot (version 2), so there is no
`waitlist_entry.updated`. What it consumes is wired in `consumers.py`.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import AppointmentState, EventData, WaitlistEntryState, new_event
from scheduling.appointments.models import Appointment
from scheduling.directories.models import Building, Cabinet, DeletionReason, Doctor, RecordType
from scheduling.localtime import local_date, zone
from scheduling.models import EVENTS
from scheduling.schedules.models import WorkSchedule
from scheduling.schedules.repository import ScheduleRepository
from scheduling.waitlist.models import WaitlistEntry

AppointmentEvent = Literal[
    "appointment.created",
    "appointment.updated",
    "appointment.deleted",
    "appointment.restored",
    "appointment.status_changed",
]
WaitlistEvent = Literal["waitlist_entry.created", "waitlist_entry.deleted", "waitlist_entry.booked"]
PRODUCER = "scheduling"
# An entry's versions: it is added, then removed (deleted or booked), never edited in between.
WAITLIST_ADDED, WAITLIST_REMOVED = 1, 2


class Publisher(Protocol):
    """Queues an event in the caller's transaction (`ServiceRuntime` is one)."""

    async def publish(
        self, session: AsyncSession, event_type: str, data: EventData, *, aggregate_id: Any, aggregate_version: int
    ) -> None:
        """Queue `event_type` with `data` for the aggregate's version."""


class OutboxPublisher:
    """The outbox without a request: what event handlers publish with."""

    async def publish(
        self, session: AsyncSession, event_type: str, data: EventData, *, aggregate_id: Any, aggregate_version: int
    ) -> None:
        """Queue the event in the session's transaction, as `ServiceRuntime.publish` does."""
        envelope = new_event(
            event_type, data, producer=PRODUCER, aggregate_id=aggregate_id, aggregate_version=aggregate_version
        )
        await EVENTS.add(session, envelope)


async def appointment_state(
    session: AsyncSession,
    appointment: Appointment,
    *,
    timezone: str,
    doctor: Doctor | None = None,
    schedule: WorkSchedule | None = None,
) -> AppointmentState:
    """The appointment as its events carry it, with the names consumers need.

    `doctor` and `schedule` (the doctor's schedule of the appointment's day), when the caller
    has them already, are used instead of loading them again.
    """
    if doctor is None or doctor.id != appointment.doctor_id:
        doctor = await session.get(Doctor, appointment.doctor_id)
    cabinet = await session.get(Cabinet, appointment.cabinet_id) if appointment.cabinet_id else None
    building = await session.get(Building, appointment.building_id) if appointment.building_id else None
    record_type = await session.get(RecordType, appointment.record_type_id) if appointment.record_type_id else None
    work_date = local_date(appointment.start_at, zone(timezone))
    if schedule is None or schedule.doctor_id != appointment.doctor_id or schedule.work_date != work_date:
        schedule = await ScheduleRepository(session).of_owner(
            doctor_id=appointment.doctor_id, cabinet_id=None, work_date=work_date
        )
    primary = appointment.patient_id is None
    return AppointmentState(
        id=appointment.id,
        number=appointment.number,
        doctor_id=appointment.doctor_id,
        doctor_name=doctor.name if doctor else None,
        specialization_ids=doctor.specialization_ids if doctor else [],
        cabinet_id=appointment.cabinet_id,
        cabinet_name=cabinet.name if cabinet else None,
        building_id=appointment.building_id,
        building_name=building.name if building else None,
        building_address=building.address if building else None,
        patient_id=appointment.patient_id,
        # A card's name and phone travel in patient.* events; only a primary patient's here.
        last_name=appointment.last_name if primary else None,
        first_name=appointment.first_name if primary else None,
        middle_name=appointment.middle_name if primary else None,
        mobile_phone=appointment.mobile_phone if primary else None,
        start=appointment.start_at,
        end=appointment.end_at,
        status_id=appointment.status_id,
        status_changed_at=appointment.status_changed_at,
        record_type_id=appointment.record_type_id,
        record_type_code=record_type.code if record_type else None,
        communication_status_id=appointment.communication_status_id,
        day_type_id=schedule.day_type_id if schedule else None,
        service_ids=[line.service_id for line in appointment.services],
        is_primary=primary,
        deleted=appointment.deleted,
        deletion_reason=await _deletion_reason(session, appointment),
        deletion_comment=appointment.deletion_comment if appointment.deleted else None,
        created_at=appointment.created_at,
    )


async def publish_appointment(
    publisher: Publisher,
    session: AsyncSession,
    event_type: AppointmentEvent,
    appointment: Appointment,
    *,
    timezone: str,
    doctor: Doctor | None = None,
    schedule: WorkSchedule | None = None,
) -> None:
    """Queue an `appointment.*` event in the transaction that changed the appointment."""
    state = await appointment_state(session, appointment, timezone=timezone, doctor=doctor, schedule=schedule)
    await publisher.publish(
        session, event_type, state, aggregate_id=appointment.id, aggregate_version=appointment.version
    )


def waitlist_entry_state(entry: WaitlistEntry, *, appointment_id: Any = None) -> WaitlistEntryState:
    """The entry as its events carry it: a primary patient's name and phone, a card's only its id."""
    primary = entry.patient_id is None
    return WaitlistEntryState(
        id=entry.id,
        patient_id=entry.patient_id,
        is_primary=primary,
        last_name=entry.last_name if primary else None,
        first_name=entry.first_name if primary else None,
        middle_name=entry.middle_name if primary else None,
        mobile_phone=entry.mobile_phone if primary else None,
        doctor_id=entry.doctor_id,
        specialization_id=entry.specialization_id,
        wished_date=entry.wished_date,
        wished_time_from=entry.wished_time_from,
        wished_time_to=entry.wished_time_to,
        duration_minutes=entry.duration_minutes,
        service_ids=[line["service_id"] for line in entry.services or []],
        record_type_id=entry.record_type_id,
        source_appointment_id=entry.source_appointment_id,
        appointment_id=appointment_id,
        created_at=entry.created_at,
    )


async def publish_waitlist_entry(
    publisher: Publisher,
    session: AsyncSession,
    event_type: WaitlistEvent,
    entry: WaitlistEntry,
    *,
    appointment_id: Any = None,
) -> None:
    """Queue a `waitlist_entry.*` event in the transaction that added or removed the entry
    (`appointment_id`: the appointment a booking made of it)."""
    version = WAITLIST_ADDED if event_type == "waitlist_entry.created" else WAITLIST_REMOVED
    state = waitlist_entry_state(entry, appointment_id=appointment_id)
    await publisher.publish(session, event_type, state, aggregate_id=entry.id, aggregate_version=version)


async def _deletion_reason(session: AsyncSession, appointment: Appointment) -> str | None:
    if not appointment.deleted:
        return None
    if appointment.deletion_reason_id is not None:
        reason = await session.get(DeletionReason, appointment.deletion_reason_id)
        if reason is not None:
            return reason.name
    return appointment.deletion_note
