"""The change journal of appointments (SCH-10): snapshots, and one entry per change."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import driver_connection, utcnow
from scheduling.appointments.models import Appointment, AppointmentHistory

# Journaled fields, in the order the journal lists them.
TRACKED_FIELDS = (
    "doctor_id",
    "cabinet_id",
    "start",
    "end",
    "patient_id",
    "last_name",
    "first_name",
    "middle_name",
    "mobile_phone",
    "birth_date",
    "services",
    "kind_id",
    "info_source_id",
    "record_type_id",
    "communication_status_id",
    "status_id",
    "processed",
    "assistant",
    "agent",
    "note",
    "overbooked",
    "deleted",
    "deletion_reason_id",
)
SLOT_FIELDS = frozenset({"doctor_id", "cabinet_id", "start", "end"})


def snapshot(appointment: Appointment) -> dict[str, Any]:
    """The journaled fields as JSON-ready values."""
    values: dict[str, Any] = {}
    for name in TRACKED_FIELDS:
        if name == "start":
            value: Any = appointment.start_at
        elif name == "end":
            value = appointment.end_at
        elif name == "services":
            value = [
                {"service_id": str(line.service_id), "quantity": line.quantity, "price": str(line.price)}
                for line in appointment.services
            ]
        else:
            value = getattr(appointment, name)
        values[name] = _json_ready(value)
    return values


async def record(
    session: AsyncSession,
    appointment: Appointment,
    *,
    action: str,
    changes: list[dict[str, Any]],
    user_id: uuid.UUID | None,
    username: str | None,
) -> None:
    """Add one journal entry for the appointment's current version."""
    entry = AppointmentHistory(
        id=uuid.uuid4(),
        appointment_id=appointment.id,
        version=appointment.version,
        at=utcnow(),
        user_id=user_id,
        username=username,
        action=action,
        changes=changes,
    )
    driver = await driver_connection(session)
    if driver is None:
        session.add(entry)
        return
    # PostgreSQL: every change writes one, so straight through asyncpg (db.driver_connection),
    # after the appointment's own pending changes (the entry refers to its row).
    await session.flush()
    await driver.execute(
        "INSERT INTO appointment_history (id, appointment_id, version, at, user_id, username, action, changes)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json)",
        entry.id,
        entry.appointment_id,
        entry.version,
        entry.at,
        entry.user_id,
        entry.username,
        entry.action,
        json.dumps(changes),
    )


def _json_ready(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
