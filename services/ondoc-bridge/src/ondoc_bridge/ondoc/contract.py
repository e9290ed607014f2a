"""The wire contract with ONDOC as we assume it (services/ondoc-bridge/docs/ondoc-contract.md): the bodies we send,
the answers we expect, and the callbacks ONDOC sends us. The HTTP adapter and the fake ONDOC
both use these models, so the fake cannot drift from what the client sends."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

OndocId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
DirectoryKind = Literal["doctors", "specializations", "services"]
DIRECTORY_KINDS: tuple[DirectoryKind, ...] = ("doctors", "specializations", "services")

# Headers of a signed callback (OND-10).
TIMESTAMP_HEADER = "X-Ondoc-Timestamp"
SIGNATURE_HEADER = "X-Ondoc-Signature"
CALLBACK_ID_HEADER = "X-Ondoc-Callback-Id"
REPLAY_HEADER = "X-Ondoc-Replayed"


def signed_message(timestamp: int, callback_id: str, body: bytes) -> bytes:
    """What a callback's HMAC covers: the timestamp, the callback id and the raw body, each
    part ended by a line feed but the body (neither the digits of the timestamp nor a header
    value can hold one, so no two different callbacks sign the same bytes).

    The callback id is signed because it decides what a callback does: a repeated id replays the
    first answer. Unsigned, anyone holding one signed callback could resend it under fresh ids
    within the timestamp window and have it handled again.
    """
    return f"{timestamp}\n{callback_id}\n".encode() + body


class _Wire(BaseModel):
    # ONDOC may add fields to what it sends; we ignore what we do not know.
    model_config = ConfigDict(extra="ignore")


# --- what we send -----------------------------------------------------------------------
class DirectoryRef(_Wire):
    """Our id of a directory item and, when staff mapped it, ONDOC's id of the same item."""

    mis_id: uuid.UUID
    ondoc_id: str | None = None
    name: str | None = None


class BuildingRef(_Wire):
    mis_id: uuid.UUID | None = None
    name: str | None = None
    address: str | None = None


class AppointmentUpsert(_Wire):
    """`PUT /api/v2/appointments/{mis_id}`: the whole current state of one appointment.

    ONDOC keeps the highest `version` it has seen for `mis_id` and ignores older or equal ones,
    so a retried or late request never overwrites a newer state.
    """

    mis_id: uuid.UUID
    version: int = Field(ge=1)
    number: str
    ondoc_patient_id: OndocId
    mis_patient_id: uuid.UUID
    ondoc_appointment_id: str | None = None
    status: Literal["active", "cancelled"]
    cancel_reason: str | None = None
    # The patient's own words when a patient cancelled (in ONDOC or on the website), OND-5.
    cancel_comment: str | None = None
    start: datetime
    end: datetime
    time_zone: str
    doctor: DirectoryRef
    specializations: list[DirectoryRef] = Field(default_factory=list)
    services: list[DirectoryRef] = Field(default_factory=list)
    cabinet: str | None = None
    building: BuildingRef | None = None
    mis_status_id: uuid.UUID | None = None


class AppointmentUpsertAnswer(_Wire):
    applied: bool
    version: int


class PatientDetach(_Wire):
    """`POST /api/v1/patients/{ondoc_patient_id}/detach`."""

    mis_patient_id: uuid.UUID
    reason: str | None = None


class DirectoryUpload(_Wire):
    """`PUT /api/v1/directories/{kind}`: the whole directory, replacing the previous upload."""

    uploaded_at: datetime
    items: list[dict[str, Any]]


class FreeSlot(_Wire):
    doctor: DirectoryRef
    start: datetime
    end: datetime


class FreeSlotsUpload(_Wire):
    """`PUT /api/v2/free-slots`: free slots of online-bookable doctors in [date_from, date_to]."""

    uploaded_at: datetime
    time_zone: str
    date_from: str
    date_to: str
    items: list[FreeSlot]


class OndocErrorBody(_Wire):
    code: str
    message: str


# --- callbacks ONDOC sends us -----------------------------------------------------------
class AttachCallback(_Wire):
    """The patient typed our 9-digit code in ONDOC."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    ondoc_patient_id: OndocId


class DetachCallback(_Wire):
    """The patient (or clinic staff) detached the patient in ONDOC."""

    ondoc_patient_id: OndocId
    initiator: Literal["patient", "clinic", "ondoc"] = "ondoc"
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class BookCallback(_Wire):
    """A patient booked a free slot in ONDOC. Doctor and service by our id (from the uploaded
    directories) or by ONDOC's id (resolved through the mapping tables)."""

    ondoc_appointment_id: OndocId
    ondoc_patient_id: OndocId
    doctor_mis_id: uuid.UUID | None = None
    doctor_ondoc_id: OndocId | None = None
    service_mis_id: uuid.UUID | None = None
    service_ondoc_id: OndocId | None = None
    start: datetime
    end: datetime | None = None
    duration_minutes: int | None = Field(default=None, ge=5, le=480)
    comment: Annotated[str, StringConstraints(max_length=1000)] | None = None

    @model_validator(mode="after")
    def _needs_doctor_and_length(self) -> BookCallback:
        if self.doctor_mis_id is None and self.doctor_ondoc_id is None:
            raise ValueError("doctor_mis_id or doctor_ondoc_id is required")
        if self.end is None and self.duration_minutes is None:
            raise ValueError("end or duration_minutes is required")
        return self


class CancelCallback(_Wire):
    """A patient cancelled an appointment in ONDOC. By our id, or ONDOC's id of a booking it made."""

    ondoc_patient_id: OndocId
    mis_appointment_id: uuid.UUID | None = None
    ondoc_appointment_id: OndocId | None = None
    reason: Annotated[str, StringConstraints(max_length=200)] | None = None

    @model_validator(mode="after")
    def _needs_an_id(self) -> CancelCallback:
        if self.mis_appointment_id is None and self.ondoc_appointment_id is None:
            raise ValueError("mis_appointment_id or ondoc_appointment_id is required")
        return self


CALLBACK_MODELS: dict[str, type[_Wire]] = {
    "attach": AttachCallback,
    "detach": DetachCallback,
    "book": BookCallback,
    "cancel": CancelCallback,
}
