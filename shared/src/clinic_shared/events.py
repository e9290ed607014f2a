"""The event envelope and the event catalogue: the contract between services.

Every event carries the aggregate's full current state and its version, so a consumer can
ignore anything older than what it has applied and delivery order stops mattering.
Catalogue models allow extra fields: a producer may add a field without breaking consumers.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.context import current_correlation_id
from clinic_shared.db import utcnow
from clinic_shared.tracing import current_traceparent


class EventEnvelope(BaseModel):
    """What travels on the bus: metadata plus the event's `data`."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str
    correlation_id: str | None = None
    # W3C trace context of the work that wrote the event (clinic_shared.tracing): its consumers'
    # handling joins that trace. Not validated here: a malformed one is ignored, never poison.
    traceparent: str | None = None
    aggregate_id: str
    aggregate_version: int = Field(ge=0)
    data: dict[str, Any]

    def payload(self) -> BaseModel:
        """`data` parsed by the catalogue model of this event type."""
        return EVENT_CATALOGUE[self.type].model_validate(self.data)


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- patients -------------------------------------------------------------------------
class PatientState(EventData):
    id: uuid.UUID
    card_number: str
    last_name: str
    first_name: str
    middle_name: str | None = None
    birth_date: date | None = None
    sex: Literal["male", "female"] | None = None
    mobile_phone: str | None = None
    email: str | None = None
    vip: bool = False
    is_minor: bool = False
    deleted: bool = False


class DiscountCardIssued(EventData):
    id: uuid.UUID
    patient_id: uuid.UUID
    number: str
    percent: Decimal
    issued_at: datetime


# --- scheduling -----------------------------------------------------------------------
class AppointmentState(EventData):
    """An appointment as consumers need it: names are copied in so that the notifier can
    render a reminder and ONDOC can be told without reading scheduling's tables."""

    id: uuid.UUID
    number: str
    doctor_id: uuid.UUID
    doctor_name: str | None = None
    specialization_ids: list[uuid.UUID] = Field(default_factory=list)
    cabinet_id: uuid.UUID | None = None
    cabinet_name: str | None = None
    building_id: uuid.UUID | None = None
    building_name: str | None = None
    building_address: str | None = None
    patient_id: uuid.UUID | None = None
    # A primary patient (no card yet) is typed in by hand: their name and phone travel here.
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    mobile_phone: str | None = None
    start: datetime
    end: datetime
    status_id: uuid.UUID | None = None
    status_changed_at: datetime | None = None
    record_type_id: uuid.UUID | None = None
    record_type_code: str | None = None
    communication_status_id: uuid.UUID | None = None
    day_type_id: uuid.UUID | None = None
    service_ids: list[uuid.UUID] = Field(default_factory=list)
    is_primary: bool = False
    deleted: bool = False
    deletion_reason: str | None = None
    # The patient's own words when a patient cancelled (ONDOC, the website); OND-5.
    deletion_comment: str | None = None
    created_at: datetime | None = None


class WaitlistEntryState(EventData):
    """A waiting-list entry (SCH-7) as the front desk's screens need it to refresh. Like an
    appointment's, a card patient's name and phone travel in patient.* events; only a primary
    patient's (no card yet) here. Neither the birth date nor the note travels."""

    id: uuid.UUID
    patient_id: uuid.UUID | None = None
    is_primary: bool = False
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    mobile_phone: str | None = None
    doctor_id: uuid.UUID | None = None
    specialization_id: uuid.UUID | None = None
    wished_date: date | None = None
    wished_time_from: str | None = None
    wished_time_to: str | None = None
    duration_minutes: int | None = None
    service_ids: list[uuid.UUID] = Field(default_factory=list)
    record_type_id: uuid.UUID | None = None
    source_appointment_id: uuid.UUID | None = None
    # `waitlist_entry.booked`: the appointment booked from the entry (the entry is gone).
    appointment_id: uuid.UUID | None = None
    created_at: datetime | None = None


# --- ondoc ----------------------------------------------------------------------------
class AttachCodeIssued(EventData):
    patient_id: uuid.UUID
    code: str
    expires_at: datetime
    contact_priority: Literal["mobile", "email"] = "mobile"


# --- notifier -------------------------------------------------------------------------
class NotificationOutcome(EventData):
    """`communication_status_id` is what the mailing schedule asks scheduling to set (SCH-16)."""

    message_id: uuid.UUID
    schedule_id: uuid.UUID | None = None
    channel: Literal["sms", "email"]
    patient_id: uuid.UUID | None = None
    appointment_id: uuid.UUID | None = None
    communication_status_id: uuid.UUID | None = None
    error: str | None = None


# --- lab and billing ------------------------------------------------------------------
class LabOrderCreated(EventData):
    id: uuid.UUID
    number: str
    patient_id: uuid.UUID
    lab_id: uuid.UUID | None = None
    test_ids: list[uuid.UUID] = Field(default_factory=list)
    appointment_id: uuid.UUID | None = None
    charge_id: uuid.UUID | None = None
    status: str | None = None


class LabOrderState(EventData):
    """An order after a change of its status (`lab_order.status_changed`: sent, in progress,
    completed, cancelled) or of its samples (`lab_order.updated`: a barcode). Like
    `lab_order.created`, no patient name: the order's screen reads it."""

    id: uuid.UUID
    number: str
    patient_id: uuid.UUID
    lab_id: uuid.UUID | None = None
    status: str
    previous_status: str | None = None
    status_changed_at: datetime | None = None
    appointment_id: uuid.UUID | None = None
    charge_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None


class LabResultReady(EventData):
    order_id: uuid.UUID
    patient_id: uuid.UUID
    test_id: uuid.UUID | None = None
    all_done: bool = False
    appointment_id: uuid.UUID | None = None
    order_number: str | None = None
    corrected: bool = False


class LabVisitResultsReady(EventData):
    """LAB-9: every order of a visit is done — completed, or cancelled — and at least one was
    completed since the last announcement. Published once per visit (`round` 1); again only
    when an order added to the visit afterwards is done too (`round` 2, …)."""

    visit_id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None = None
    charge_id: uuid.UUID | None = None
    round: int = Field(default=1, ge=1)
    order_ids: list[uuid.UUID] = Field(description="the completed orders of the visit")
    order_numbers: list[str] = Field(default_factory=list)
    lab_ids: list[uuid.UUID] = Field(default_factory=list, description="the labs that did them")
    cancelled_order_ids: list[uuid.UUID] = Field(default_factory=list)
    completed_at: datetime


class ServiceCharged(EventData):
    id: uuid.UUID
    patient_id: uuid.UUID
    service_id: uuid.UUID
    quantity: int = 1
    appointment_id: uuid.UUID | None = None
    charged_at: datetime


EVENT_CATALOGUE: dict[str, type[EventData]] = {
    "patient.created": PatientState,
    "patient.updated": PatientState,
    "patient.deleted": PatientState,
    "patient.restored": PatientState,
    "discount_card.issued": DiscountCardIssued,
    "appointment.created": AppointmentState,
    "appointment.updated": AppointmentState,
    "appointment.deleted": AppointmentState,
    "appointment.restored": AppointmentState,
    "appointment.status_changed": AppointmentState,
    "waitlist_entry.created": WaitlistEntryState,
    "waitlist_entry.deleted": WaitlistEntryState,
    "waitlist_entry.booked": WaitlistEntryState,
    "ondoc.attach_code_issued": AttachCodeIssued,
    "notification.sent": NotificationOutcome,
    "notification.failed": NotificationOutcome,
    "lab_order.created": LabOrderCreated,
    "lab_order.status_changed": LabOrderState,
    "lab_order.updated": LabOrderState,
    "lab_result.ready": LabResultReady,
    "lab_visit.results_ready": LabVisitResultsReady,
    "billing.service_charged": ServiceCharged,
}


class UnknownEventType(ValueError):
    pass


def new_event(
    event_type: str,
    data: EventData,
    *,
    producer: str,
    aggregate_id: uuid.UUID | str,
    aggregate_version: int,
) -> EventEnvelope:
    """Build an envelope for a catalogued event type, validating its data against the contract."""
    model = EVENT_CATALOGUE.get(event_type)
    if model is None:
        raise UnknownEventType(event_type)
    validated = model.model_validate(data.model_dump(mode="python"))
    return EventEnvelope(
        type=event_type,
        producer=producer,
        correlation_id=current_correlation_id(),
        traceparent=current_traceparent(),
        aggregate_id=str(aggregate_id),
        aggregate_version=aggregate_version,
        data=validated.model_dump(mode="json"),
    )


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` is zero or more words."""
    return _match(pattern.split("."), routing_key.split("."))


def _match(pattern: list[str], words: list[str]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head in ("*", words[0])) and _match(rest, words[1:])
