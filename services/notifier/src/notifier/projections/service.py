"""Apply other services' events to the projections and read them back as catalogue models."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import AppointmentState, DiscountCardIssued, EventEnvelope, PatientState
from notifier.projections.models import AppointmentProjection, DiscountCardProjection, PatientProjection
from notifier.projections.repository import ProjectionRepository


@dataclass(frozen=True)
class DiscountCard:
    id: uuid.UUID
    patient_id: uuid.UUID
    number: str
    percent: Decimal
    issued_at: datetime


async def apply_appointment(session: AsyncSession, envelope: EventEnvelope, *, now: datetime) -> bool:
    """Store the appointment's state if it is newer than what we hold; True when applied."""
    state = AppointmentState.model_validate(envelope.data)
    return await ProjectionRepository(session).upsert_appointment(
        {
            "id": state.id,
            "version": envelope.aggregate_version,
            "patient_id": state.patient_id,
            "start": state.start,
            "deleted": state.deleted,
            "data": state.model_dump_json(),
            "updated_at": now,
        }
    )


async def apply_patient(session: AsyncSession, envelope: EventEnvelope, *, now: datetime) -> bool:
    """Store the patient's state if it is newer than what we hold; True when applied."""
    state = PatientState.model_validate(envelope.data)
    return await ProjectionRepository(session).upsert_patient(
        {
            "id": state.id,
            "version": envelope.aggregate_version,
            "birth_month_day": state.birth_date.strftime("%m-%d") if state.birth_date else None,
            "deleted": state.deleted,
            "data": state.model_dump_json(),
            "updated_at": now,
        }
    )


async def apply_discount_card(session: AsyncSession, envelope: EventEnvelope) -> DiscountCard:
    """Store an issued discount card (it never changes after issue)."""
    issued = DiscountCardIssued.model_validate(envelope.data)
    await ProjectionRepository(session).upsert_discount_card(
        {
            "id": issued.id,
            "version": envelope.aggregate_version,
            "patient_id": issued.patient_id,
            "number": issued.number,
            "percent": str(issued.percent),
            "issued_at": issued.issued_at,
        }
    )
    return DiscountCard(issued.id, issued.patient_id, issued.number, issued.percent, issued.issued_at)


def appointment_state(row: AppointmentProjection) -> AppointmentState:
    """The stored appointment as the catalogue model."""
    return AppointmentState.model_validate(json.loads(row.data))


def patient_state(row: PatientProjection) -> PatientState:
    """The stored patient as the catalogue model."""
    return PatientState.model_validate(json.loads(row.data))


def discount_card(row: DiscountCardProjection) -> DiscountCard:
    """The stored discount card."""
    return DiscountCard(row.id, row.patient_id, row.number, Decimal(row.percent), row.issued_at)


async def appointments_by_id(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, AppointmentState]:
    """Appointments we know of among `ids` (deleted ones included)."""
    rows = await ProjectionRepository(session).appointments(ids)
    return {row.id: appointment_state(row) for row in rows}


async def patients_by_id(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PatientState]:
    """Patients we know of among `ids` (deleted ones included)."""
    rows = await ProjectionRepository(session).patients(ids)
    return {row.id: patient_state(row) for row in rows}


async def discount_cards_by_id(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, DiscountCard]:
    """Discount cards we know of among `ids`."""
    return {row.id: discount_card(row) for row in await ProjectionRepository(session).discount_cards(ids)}


async def latest_discount_cards(
    session: AsyncSession, patient_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, DiscountCard]:
    """The newest discount card of each patient that has one."""
    cards = await ProjectionRepository(session).latest_discount_cards(patient_ids)
    return {patient_id: discount_card(row) for patient_id, row in cards.items()}


async def active_appointments_from(session: AsyncSession, moment: datetime) -> list[AppointmentState]:
    """Appointments not deleted that start at or after `moment`."""
    return [appointment_state(row) for row in await ProjectionRepository(session).active_appointments_from(moment)]


async def patients_born_on(session: AsyncSession, month_days: Iterable[str]) -> list[PatientState]:
    """Patients (not deleted) whose birth date falls on one of the "MM-DD" days."""
    return [patient_state(row) for row in await ProjectionRepository(session).patients_born_on(month_days)]
