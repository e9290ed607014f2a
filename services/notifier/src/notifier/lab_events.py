"""`lab_visit.results_ready` as the notifier reads it (LAB-9).

The lab publishes it when every order of a visit is done (its schema: `LabVisitResultsReady`
in the lab's `events.py`; not in `clinic_shared.events` yet). This is the consumer's view of
that contract: the fields planning uses, other fields allowed, so the lab may add some.
"""

from __future__ import annotations

import uuid

from pydantic import Field

from clinic_shared.events import EventData

VISIT_RESULTS_READY = "lab_visit.results_ready"


class VisitResultsReady(EventData):
    """Every order of a patient's visit is done; `round` > 1 when orders were added later."""

    visit_id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None = None
    round: int = Field(default=1, ge=1)
    order_ids: list[uuid.UUID] = Field(default_factory=list)
