"""Rules of the outbound queue: ordering, retry delays, and the appointment as ONDOC gets it."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any

from clinic_shared.events import AppointmentState
from ondoc_bridge.ondoc.contract import AppointmentUpsert, BuildingRef, DirectoryRef
from ondoc_bridge.zones import in_zone

Mappings = Mapping[str, Mapping[str, str]]  # kind → our id (str) → ONDOC id


def replaces(stored_version: int | None, incoming_version: int) -> bool:
    """A state replaces the stored one only when it is newer: never older over newer."""
    return stored_version is None or incoming_version > stored_version


def backoff_delay(attempt: int, *, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before retry number `attempt` (1-based): exponential, capped, with ±50 % jitter."""
    exponential = min(cap, base * 2 ** min(max(attempt, 1) - 1, 30))
    return min(cap, exponential * (0.5 + rand()))


def appointment_upsert(
    state: AppointmentState,
    *,
    version: int,
    ondoc_patient_id: str,
    patient_id: Any,
    zone: tzinfo,
    zone_name: str,
    mappings: Mappings,
    ondoc_appointment_id: str | None = None,
) -> AppointmentUpsert:
    """What ONDOC receives for one appointment state: times in the clinic zone, a deleted
    appointment as "cancelled" with its reason, a restored one as "active" again."""

    def ref(kind: str, our_id: Any, name: str | None = None) -> DirectoryRef:
        """A directory item by our id, with ONDOC's id when mapped."""
        return DirectoryRef(mis_id=our_id, ondoc_id=mappings.get(kind, {}).get(str(our_id)), name=name)

    building = None
    if state.building_id or state.building_name:
        building = BuildingRef(mis_id=state.building_id, name=state.building_name, address=state.building_address)
    return AppointmentUpsert(
        mis_id=state.id,
        version=version,
        number=state.number,
        ondoc_patient_id=ondoc_patient_id,
        mis_patient_id=patient_id,
        ondoc_appointment_id=ondoc_appointment_id,
        status="cancelled" if state.deleted else "active",
        cancel_reason=(state.deletion_reason or "Отменена клиникой") if state.deleted else None,
        cancel_comment=state.deletion_comment if state.deleted else None,
        start=in_zone(state.start, zone),
        end=in_zone(state.end, zone),
        time_zone=zone_name,
        doctor=ref("doctors", state.doctor_id, state.doctor_name),
        specializations=[ref("specializations", s) for s in state.specialization_ids],
        services=[ref("services", s) for s in state.service_ids],
        cabinet=state.cabinet_name,
        building=building,
        mis_status_id=state.status_id,
    )
