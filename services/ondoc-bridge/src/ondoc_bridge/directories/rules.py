"""What ONDOC receives for each directory (OND-8): our items with ONDOC's ids where mapped."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from ondoc_bridge.ondoc.contract import DirectoryRef, FreeSlot
from ondoc_bridge.zones import in_zone

Mappings = Mapping[str, Mapping[str, str]]


def _ondoc_id(mappings: Mappings, kind: str, our_id: Any) -> str | None:
    return mappings.get(kind, {}).get(str(our_id))


def specialization_items(rows: list[dict[str, Any]], mappings: Mappings) -> list[dict[str, Any]]:
    """Specializations as ONDOC receives them."""
    return [
        {"mis_id": str(r["id"]), "ondoc_id": _ondoc_id(mappings, "specializations", r["id"]), "name": r.get("name")}
        for r in rows
    ]


def service_items(rows: list[dict[str, Any]], mappings: Mappings) -> list[dict[str, Any]]:
    """Price-list services as ONDOC receives them."""
    return [
        {
            "mis_id": str(r["id"]),
            "ondoc_id": _ondoc_id(mappings, "services", r["id"]),
            "code": r.get("code"),
            "name": r.get("name"),
            "group": r.get("group"),
            "price": str(r["price"]) if r.get("price") is not None else None,
            "duration_minutes": r.get("duration_minutes"),
        }
        for r in rows
    ]


def doctor_items(rows: list[dict[str, Any]], mappings: Mappings) -> list[dict[str, Any]]:
    """Doctors (with their specializations) as ONDOC receives them."""
    return [
        {
            "mis_id": str(r["id"]),
            "ondoc_id": _ondoc_id(mappings, "doctors", r["id"]),
            "last_name": r.get("last_name"),
            "first_name": r.get("first_name"),
            "middle_name": r.get("middle_name"),
            "academic_degree": r.get("academic_degree"),
            "online_booking": bool(r.get("online_booking")),
            "specializations": [
                {"mis_id": str(s), "ondoc_id": _ondoc_id(mappings, "specializations", s)}
                for s in r.get("specialization_ids") or []
            ],
        }
        for r in rows
    ]


def slot_items(
    rows: list[dict[str, Any]], *, doctor_names: Mapping[str, str], mappings: Mappings, zone: tzinfo
) -> list[FreeSlot]:
    """Free slots as ONDOC shows them: on the clinic's clock."""
    slots = []
    for row in rows:
        doctor_id = str(row["doctor_id"])
        slots.append(
            FreeSlot(
                doctor=DirectoryRef(
                    mis_id=uuid.UUID(doctor_id),
                    ondoc_id=_ondoc_id(mappings, "doctors", doctor_id),
                    name=doctor_names.get(doctor_id),
                ),
                start=in_zone(datetime.fromisoformat(str(row["start"])), zone),
                end=in_zone(datetime.fromisoformat(str(row["end"])), zone),
            )
        )
    return slots


def slot_period(now: datetime, zone: tzinfo, days: int) -> tuple[date, date]:
    """Today and the last day of the uploaded period, on the clinic's calendar."""
    today = now.astimezone(zone).date()
    return today, today + timedelta(days=days - 1)


def upload_due(
    *,
    enabled: bool,
    last_attempt: datetime | None,
    now: datetime,
    interval: timedelta,
    running_for: timedelta,
    first_delay: timedelta,
) -> bool:
    """Time for an upload: switched on, and the interval has passed since the last attempt
    (or, with none yet, the service has run for the first-upload delay)."""
    if not enabled:
        return False
    if last_attempt is None:
        return running_for >= first_delay
    return now - last_attempt >= interval
