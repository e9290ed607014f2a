"""What an appointment change means for ONDOC (OND-4): pure rules, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from clinic_shared.events import AppointmentState

MOVED_AWAY_REASON = "Запись перенесена на другого пациента"


@dataclass(frozen=True)
class Link:
    patient_id: uuid.UUID
    ondoc_patient_id: str


@dataclass(frozen=True)
class Queued:
    """What the outbound queue holds for an appointment."""

    patient_id: uuid.UUID
    ondoc_patient_id: str
    sent_version: int | None


@dataclass(frozen=True)
class Push:
    """Queue this state for this ONDOC patient."""

    patient_id: uuid.UUID
    ondoc_patient_id: str
    state: dict[str, Any]


@dataclass(frozen=True)
class Drop:
    """Stop a queued state that never reached ONDOC."""

    reason: str


def outbound_action(state: AppointmentState, *, link: Link | None, queued: Queued | None) -> Push | Drop | None:
    """Decide what ONDOC must hear of an appointment's new state.

    - the patient is attached → push the state (create, edit, cancel, re-activate alike);
    - the appointment never concerned an attached patient → nothing (not sent, OND-4);
    - it went to ONDOC for someone and now belongs to another, non-attached patient → cancel it
      there for the first patient, or drop it if it never went out;
    - the same patient is no longer attached → nothing more is sent.
    """
    if link is not None:
        return Push(link.patient_id, link.ondoc_patient_id, state.model_dump(mode="json"))
    if queued is None or queued.patient_id == state.patient_id:
        return None
    if queued.sent_version is None:
        return Drop(MOVED_AWAY_REASON)
    cancelled = state.model_copy(
        update={"deleted": True, "deletion_reason": MOVED_AWAY_REASON, "patient_id": queued.patient_id}
    )
    return Push(queued.patient_id, queued.ondoc_patient_id, cancelled.model_dump(mode="json"))
