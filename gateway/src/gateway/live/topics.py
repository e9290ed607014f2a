"""Which domain events the live stream carries, who may see each, and with which fields.

A topic is streamed only when it is listed here: a new event type stays off the stream until
someone decides which right shows it. Catalogued events keep only the fields of their catalogue
model (a producer's extra fields are not passed on unvetted). The ONDOC attach code
(`ondoc.attach_code_issued`) is a secret for one patient and is never streamed, nor is billing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic_shared.auth import Principal
from clinic_shared.clinic_time import in_clinic_zone
from clinic_shared.events import (
    AppointmentState,
    DiscountCardIssued,
    LabOrderCreated,
    LabOrderState,
    LabResultReady,
    NotificationOutcome,
    PatientState,
    WaitlistEntryState,
    topic_matches,
)


@dataclass(frozen=True)
class Topic:
    """Events of `pattern` (AMQP topic syntax) are seen by holders of `right`; `fields` None =
    the whole `data`; `lab` says how the event names its lab (see `LabScope`)."""

    pattern: str
    right: str
    fields: frozenset[str] | None = None
    lab: str | None = None  # "lab_id": data.lab_id; "lab_ids": any of data.lab_ids; "order": the order's lab


def _fields(model: type[Any]) -> frozenset[str]:
    return frozenset(model.model_fields)


# Fields of `lab_visit.results_ready` (lab.events.LabVisitResultsReady; not in the shared catalogue yet).
_VISIT_FIELDS = frozenset(
    {
        "visit_id",
        "patient_id",
        "appointment_id",
        "charge_id",
        "round",
        "order_ids",
        "order_numbers",
        "lab_ids",
        "cancelled_order_ids",
        "completed_at",
    }
)

TOPICS: tuple[Topic, ...] = (
    # Appointments: names and phones travel in them; whoever reads the schedule reads those.
    Topic("appointment.*", "scheduling.read", _fields(AppointmentState)),
    # The waiting list (created, deleted, booked): a primary patient's name and phone, as above.
    Topic("waitlist_entry.*", "scheduling.read", _fields(WaitlistEntryState)),
    # Cards.
    Topic("patient.*", "patients.read", _fields(PatientState)),
    Topic("discount_card.issued", "patients.read", _fields(DiscountCardIssued)),
    # The lab: a lab doctor sees their lab's orders only (services/lab/src/lab/access.py).
    Topic("lab_order.created", "lab.read", _fields(LabOrderCreated), lab="lab_id"),
    # Sent, in progress, completed, cancelled; a barcode changed.
    Topic("lab_order.status_changed", "lab.read", _fields(LabOrderState), lab="lab_id"),
    Topic("lab_order.updated", "lab.read", _fields(LabOrderState), lab="lab_id"),
    Topic("lab_result.ready", "lab.read", _fields(LabResultReady), lab="order"),
    Topic("lab_visit.results_ready", "lab.read", _VISIT_FIELDS, lab="lab_ids"),
    # Mailings' outcomes.
    Topic("notification.*", "notifier.read", _fields(NotificationOutcome)),
)
PATTERNS = [topic.pattern for topic in TOPICS]


def topic_of(event_type: str) -> Topic | None:
    """The first topic whose pattern matches `event_type`, if any."""
    return next((topic for topic in TOPICS if topic_matches(topic.pattern, event_type)), None)


def kept_data(topic: Topic, data: dict[str, Any]) -> dict[str, Any]:
    """What of an event's data is stored for the stream: the topic's fields only."""
    if topic.fields is None:
        return dict(data)
    return {key: value for key, value in data.items() if key in topic.fields}


@dataclass(frozen=True)
class LabScope:
    """The labs whose orders a viewer sees: `lab_ids` None = every lab, empty = none."""

    lab_ids: frozenset[uuid.UUID] | None

    def allows_any(self, lab_ids: Iterable[object]) -> bool:
        if self.lab_ids is None:
            return True
        return any(_uuid(value) in self.lab_ids for value in lab_ids)


EVERY_LAB = LabScope(None)
NO_LAB = LabScope(frozenset())


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class Viewer:
    """Who watches a stream: their rights (from the token the stream was opened with) and labs."""

    principal: Principal
    labs: LabScope

    def may_see(self, topic: Topic) -> bool:
        return self.principal.has(topic.right)


_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def in_clinic_time(node: Any) -> Any:
    """`data` with every instant written in the clinic's zone (like every answer of the API)."""
    if isinstance(node, dict):
        return {key: in_clinic_time(value) for key, value in node.items()}
    if isinstance(node, list):
        return [in_clinic_time(value) for value in node]
    if isinstance(node, str) and _INSTANT.fullmatch(node):
        try:
            return in_clinic_zone(datetime.fromisoformat(node)).isoformat()
        except ValueError:
            return node
    return node
