"""What the profexam service consumes. It publishes no events (the catalogue has none for it).

`patient.updated` keeps the name, phone and card-number copies of employee rows in step with
the card; the event carries the card's full state and version, so an older one never
overwrites a newer one.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import EventEnvelope
from clinic_shared.logging import get_logger
from clinic_shared.outbox import Handler
from profexam.exams import service as exam_service

log = get_logger(__name__)


async def on_patient_updated(session: AsyncSession, envelope: EventEnvelope) -> None:
    """Refresh the employee rows of the card (only from a newer card version)."""
    state = envelope.payload().model_dump(mode="json")
    changed = await exam_service.apply_card_state(
        session, patient_id=uuid.UUID(str(state["id"])), version=envelope.aggregate_version, state=state
    )
    if changed:
        log.info("profexam.employees.card_refreshed", patient_id=str(state["id"]), rows=changed)


HANDLERS: dict[str, Handler] = {"patient.updated": on_patient_updated}
