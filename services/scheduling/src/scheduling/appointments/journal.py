"""The change journal of appointments (SCH-10): snapshots, and one entry per change.

An entry is written as it was true at the time: a change of a reference (doctor, cabinet,
status…) keeps the item's name then next to its id (`from_name`, `to_name`; each service
line its `name`), so renaming an item later leaves the journal alone. Instants are stored
in UTC and written in the clinic's zone when the journal is read (`present_changes`), so a
change of the zone shows every entry, old ones too, in the new one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.clinic_time import in_clinic_zone
from clinic_shared.db import driver_connection, utcnow
from scheduling.appointments.models import Appointment, AppointmentHistory
from scheduling.directories import models as directory
from scheduling.directories.repository import existing_ids

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
# Instants among the journaled fields: stored in UTC, shown in the clinic's zone.
TIME_FIELDS = frozenset({"start", "end"})
# Reference fields → the directory whose item's name the journal keeps next to the id.
REFERENCE_FIELDS: dict[str, type[Any]] = {
    "doctor_id": directory.Doctor,
    "cabinet_id": directory.Cabinet,
    "kind_id": directory.AppointmentKind,
    "info_source_id": directory.InfoSource,
    "record_type_id": directory.RecordType,
    "communication_status_id": directory.CommunicationStatus,
    "status_id": directory.AppointmentStatus,
    "deletion_reason_id": directory.DeletionReason,
}
SERVICES_FIELD = "services"


def snapshot(appointment: Appointment) -> dict[str, Any]:
    """The journaled fields as JSON-ready values."""
    values: dict[str, Any] = {}
    for name in TRACKED_FIELDS:
        if name == "start":
            value: Any = _utc(appointment.start_at)
        elif name == "end":
            value = _utc(appointment.end_at)
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
    known: Iterable[Any] = (),
) -> None:
    """Add one journal entry for the appointment's current version (with the names then).
    `known`: directory items the operation has loaded already (named without reading them again)."""
    changes = await with_names(session, changes, known=known)
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


async def with_names(
    session: AsyncSession, changes: list[dict[str, Any]], *, only_missing: bool = False, known: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    """The changes with the names of the items they refer to, as the directories hold them now.

    `only_missing`: keep the names an entry already has (reading old entries, written before
    names were kept: they show the item's current name; a deleted item's name is null).
    `known`: items already loaded in this transaction, used as they are (a booking has read its
    doctor, services and status a moment before).
    """
    wanted: dict[type[Any], set[uuid.UUID]] = {}
    for change in changes:
        model = _model_of(change)
        if model is not None:
            for side in ("from", "to"):
                if not (only_missing and f"{side}_name" in change):
                    wanted.setdefault(model, set()).update(_ids([change.get(side)]))
        elif change.get("field") == SERVICES_FIELD:
            for side in ("from", "to"):
                lines = [line for line in _lines(change.get(side)) if not (only_missing and "name" in line)]
                wanted.setdefault(directory.PriceService, set()).update(_ids(line.get("service_id") for line in lines))
    found: dict[type[Any], dict[uuid.UUID, Any]] = {model: {} for model in wanted}
    for item in known:
        if item is not None and item.id in wanted.get(type(item), ()):
            found[type(item)][item.id] = item
    for model, ids in wanted.items():
        missing = sorted(ids - found[model].keys())
        if missing:
            found[model].update(await existing_ids(session, model, missing))

    def name(model: type[Any], value: Any) -> str | None:
        item_id = _as_id(value)
        item = found.get(model, {}).get(item_id) if item_id is not None else None
        return str(item.name) if item is not None else None

    named: list[dict[str, Any]] = []
    for change in changes:
        model = _model_of(change)
        change = dict(change)
        if model is not None:
            for side in ("from", "to"):
                if not (only_missing and f"{side}_name" in change):
                    change[f"{side}_name"] = name(model, change.get(side))
        elif change.get("field") == SERVICES_FIELD:
            for side in ("from", "to"):
                if isinstance(change.get(side), list):
                    change[side] = [
                        line
                        if not isinstance(line, dict) or (only_missing and "name" in line)
                        else {**line, "name": name(directory.PriceService, line.get("service_id"))}
                        for line in change[side]
                    ]
        named.append(change)
    return named


async def present_changes(session: AsyncSession, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stored entry's changes as the journal shows them: names next to ids (the names kept
    at write time; entries older than that get the current ones) and instants in the clinic's
    zone with its offset."""
    shown = await with_names(session, changes, only_missing=True)
    for change in shown:
        if change.get("field") in TIME_FIELDS:
            for side in ("from", "to"):
                change[side] = _in_clinic_zone(change.get(side))
    return shown


def _model_of(change: dict[str, Any]) -> type[Any] | None:
    return REFERENCE_FIELDS.get(str(change.get("field")))


def _lines(value: Any) -> list[dict[str, Any]]:
    return [line for line in value if isinstance(line, dict)] if isinstance(value, list) else []


def _as_id(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def _ids(values: Iterable[Any]) -> set[uuid.UUID]:
    return {item_id for item_id in (_as_id(v) for v in values) if item_id is not None}


def _in_clinic_zone(value: Any) -> Any:
    """An ISO instant written in the clinic's zone; anything else (null) as it is."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return in_clinic_zone(moment).isoformat()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_ready(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
