"""Appointments as users see them: names of the referenced items, marks (SCH-9), the phone
ready to copy and the WhatsApp link (SCH-17). Lists are presented with one query per kind of
reference, not one per appointment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.appointments import journal, rules
from scheduling.appointments.models import Appointment, AppointmentHistory, StatusHistory
from scheduling.appointments.schemas import (
    AppointmentCompact,
    AppointmentRead,
    HistoryEntry,
    Marks,
    ServiceLineRead,
    StatusHistoryEntry,
    StatusRef,
)
from scheduling.directories.models import AppointmentStatus, Cabinet, DeletionReason, Doctor, PriceService, RecordType
from scheduling.directories.repository import existing_ids
from scheduling.names import full_name
from scheduling.patients import service as patients
from scheduling.patients.models import PatientProjection
from scheduling.phones import whatsapp_url, with_country_code

CENTS = Decimal("0.01")


@dataclass
class Lookups:
    """The items a page of appointments refers to, by id."""

    doctors: dict[uuid.UUID, Any]
    cabinets: dict[uuid.UUID, Any]
    statuses: dict[uuid.UUID, Any]
    record_types: dict[uuid.UUID, Any]
    reasons: dict[uuid.UUID, Any]
    services: dict[uuid.UUID, Any]
    cards: dict[uuid.UUID, PatientProjection]


async def lookups(session: AsyncSession, appointments: Sequence[Appointment], known: Iterable[Any] = ()) -> Lookups:
    """Load what these appointments refer to; `known` items (already loaded by the same
    operation, e.g. the doctor of a booking) are used as they are instead of loaded again."""
    by_id: dict[tuple[type[Any], uuid.UUID], Any] = {(type(item), item.id): item for item in known if item is not None}

    def ids(name: str) -> list[uuid.UUID]:
        return list({getattr(a, name) for a in appointments if getattr(a, name) is not None})

    async def items(model: type[Any], wanted: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        found = {i: by_id[model, i] for i in wanted if (model, i) in by_id}
        missing = [i for i in wanted if i not in found]
        if missing:
            found.update(await existing_ids(session, model, missing))
        return found

    return Lookups(
        doctors=await items(Doctor, ids("doctor_id")),
        cabinets=await items(Cabinet, ids("cabinet_id")),
        statuses=await items(AppointmentStatus, ids("status_id")),
        record_types=await items(RecordType, ids("record_type_id")),
        reasons=await items(DeletionReason, ids("deletion_reason_id")),
        services=await items(PriceService, list({s.service_id for a in appointments for s in a.services})),
        cards=await patients.projections(session, set(ids("patient_id"))),
    )


async def cell_lookups(session: AsyncSession, appointments: Sequence[CellSource]) -> Lookups:
    """What `compact` reads (statuses and patients' cards), for the calendar's many cells; the
    rest is left empty rather than loaded for nothing."""
    return Lookups(
        doctors={},
        cabinets={},
        statuses=await existing_ids(
            session, AppointmentStatus, list({a.status_id for a in appointments if a.status_id is not None})
        ),
        record_types={},
        reasons={},
        services={},
        cards=await patients.projections(session, {a.patient_id for a in appointments if a.patient_id is not None}),
    )


class CellSource(Protocol):
    """What a calendar cell and its marks read of an appointment: the model, or a row of
    `AppointmentRepository.cells_between` (read-only: either satisfies it)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def number(self) -> str: ...

    @property
    def doctor_id(self) -> uuid.UUID: ...

    @property
    def cabinet_id(self) -> uuid.UUID | None: ...

    @property
    def start_at(self) -> datetime: ...

    @property
    def end_at(self) -> datetime: ...

    @property
    def patient_id(self) -> uuid.UUID | None: ...

    @property
    def last_name(self) -> str: ...

    @property
    def first_name(self) -> str | None: ...

    @property
    def middle_name(self) -> str | None: ...

    @property
    def mobile_phone(self) -> str | None: ...

    @property
    def birth_date(self) -> date | None: ...

    @property
    def status_id(self) -> uuid.UUID | None: ...

    @property
    def processed(self) -> bool: ...

    @property
    def overbooked(self) -> bool: ...

    @property
    def note(self) -> str | None: ...

    @property
    def version(self) -> int: ...

    @property
    def deleted(self) -> bool: ...


def marks(appointment: CellSource, card: PatientProjection | None, *, today: date, minor_age: int) -> Marks:
    """Primary (no card yet, SCH-4), minor, VIP from the card as scheduling knows it now;
    processed from the status."""
    if card is not None:
        # The birth date ages the patient every day; the event's flag is only as old as the event.
        minor = rules.is_minor(card.birth_date, today, minor_age) if card.birth_date else card.is_minor
        vip = card.vip
    else:
        minor = rules.is_minor(appointment.birth_date, today, minor_age)
        vip = False
    return Marks(primary=appointment.patient_id is None, minor=minor, vip=vip, processed=appointment.processed)


def present(appointment: Appointment, found: Lookups, *, today: date, minor_age: int) -> AppointmentRead:
    """The full view of one appointment."""
    doctor = found.doctors.get(appointment.doctor_id)
    cabinet = found.cabinets.get(appointment.cabinet_id) if appointment.cabinet_id else None
    status = found.statuses.get(appointment.status_id) if appointment.status_id else None
    record_type = found.record_types.get(appointment.record_type_id) if appointment.record_type_id else None
    reason = found.reasons.get(appointment.deletion_reason_id) if appointment.deletion_reason_id else None
    card = found.cards.get(appointment.patient_id) if appointment.patient_id else None
    return AppointmentRead(
        id=appointment.id,
        number=appointment.number,
        version=appointment.version,
        doctor_id=appointment.doctor_id,
        doctor_name=doctor.name if doctor else None,
        cabinet_id=appointment.cabinet_id,
        cabinet_name=cabinet.name if cabinet else None,
        building_id=appointment.building_id,
        # As stored (UTC): an appointment just booked still holds the request's offset.
        start=appointment.start_at.astimezone(UTC),
        end=appointment.end_at.astimezone(UTC),
        duration_minutes=int((appointment.end_at - appointment.start_at).total_seconds() // 60),
        patient_id=appointment.patient_id,
        card_number=card.card_number if card else None,
        last_name=appointment.last_name,
        first_name=appointment.first_name,
        middle_name=appointment.middle_name,
        patient_name=full_name(appointment.last_name, appointment.first_name, appointment.middle_name),
        mobile_phone=appointment.mobile_phone,
        phone_with_country_code=with_country_code(appointment.mobile_phone),
        whatsapp_url=whatsapp_url(appointment.mobile_phone),
        birth_date=appointment.birth_date,
        is_primary=appointment.is_primary,
        marks=marks(appointment, card, today=today, minor_age=minor_age),
        status=StatusRef(id=status.id, name=status.name, colour=status.colour) if status else None,
        status_id=appointment.status_id,
        status_changed_at=appointment.status_changed_at,
        record_type_id=appointment.record_type_id,
        record_type_code=record_type.code if record_type else None,
        kind_id=appointment.kind_id,
        info_source_id=appointment.info_source_id,
        communication_status_id=appointment.communication_status_id,
        assistant=appointment.assistant,
        agent=appointment.agent,
        note=appointment.note,
        services=[
            ServiceLineRead(
                service_id=line.service_id,
                code=found.services[line.service_id].code if line.service_id in found.services else None,
                name=found.services[line.service_id].name if line.service_id in found.services else None,
                quantity=line.quantity,
                price=line.price.quantize(CENTS),  # as stored: Numeric(12, 2)
            )
            for line in appointment.services
        ],
        overbooked=appointment.overbooked,
        processed=appointment.processed,
        processed_at=appointment.processed_at,
        deleted=appointment.deleted,
        deleted_at=appointment.deleted_at,
        deleted_by_username=appointment.deleted_by_username,
        deletion_reason_id=appointment.deletion_reason_id,
        deletion_reason=reason.name if reason else appointment.deletion_note,
        deletion_comment=appointment.deletion_comment,
        needs_card_review=appointment.card_match is not None,
        card_match=appointment.card_match,
        created_at=appointment.created_at,
        created_by_username=appointment.created_by_username,
        updated_at=appointment.updated_at,
        updated_by_username=appointment.updated_by_username,
    )


async def present_many(
    session: AsyncSession,
    appointments: Sequence[Appointment],
    *,
    today: date,
    minor_age: int,
    known: Iterable[Any] = (),
) -> list[AppointmentRead]:
    """Full views of a page of appointments (`known`: directory items already loaded)."""
    found = await lookups(session, appointments, known)
    return [present(a, found, today=today, minor_age=minor_age) for a in appointments]


def compact(appointment: CellSource, found: Lookups, *, today: date, minor_age: int) -> AppointmentCompact:
    """The calendar cell of an appointment (reads only `found.statuses` and `found.cards`)."""
    status = found.statuses.get(appointment.status_id) if appointment.status_id else None
    card = found.cards.get(appointment.patient_id) if appointment.patient_id else None
    return AppointmentCompact(
        id=appointment.id,
        number=appointment.number,
        doctor_id=appointment.doctor_id,
        cabinet_id=appointment.cabinet_id,
        start=appointment.start_at,
        end=appointment.end_at,
        patient_id=appointment.patient_id,
        patient_name=full_name(appointment.last_name, appointment.first_name, appointment.middle_name),
        mobile_phone=appointment.mobile_phone,
        status_id=appointment.status_id,
        status_colour=status.colour if status else None,
        is_primary=appointment.patient_id is None,
        marks=marks(appointment, card, today=today, minor_age=minor_age),
        overbooked=appointment.overbooked,
        note=appointment.note,
        version=appointment.version,
        deleted=appointment.deleted,
    )


async def status_history(session: AsyncSession, rows: Sequence[StatusHistory]) -> list[StatusHistoryEntry]:
    """Status history rows with the statuses' names and colours."""
    found = await existing_ids(session, AppointmentStatus, list({r.status_id for r in rows}))
    return [
        StatusHistoryEntry(
            status_id=row.status_id,
            status_name=found[row.status_id].name if row.status_id in found else None,
            colour=found[row.status_id].colour if row.status_id in found else None,
            at=row.at,
            user_id=row.user_id,
            username=row.username,
        )
        for row in rows
    ]


async def history(session: AsyncSession, rows: Sequence[AppointmentHistory]) -> list[HistoryEntry]:
    """Journal entries as users read them (`journal.present_changes`), one lookup for all."""
    changes = await journal.present_changes(session, [change for row in rows for change in row.changes or []])
    entries: list[HistoryEntry] = []
    position = 0
    for row in rows:
        count = len(row.changes or [])
        entries.append(
            HistoryEntry(
                version=row.version,
                at=row.at,
                user_id=row.user_id,
                username=row.username,
                action=row.action,
                changes=changes[position : position + count],
            )
        )
        position += count
    return entries
