"""Bodies of /schedules: one flat shape for every type; the per-type parameters are checked by
the discriminated union in `parameters.py`, so a parameter of another type is named in a 422."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clinic_shared.clinic_time import ClinicDateTime
from notifier.schedules.kinds import Channel, ScheduleType

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Template = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class _ParameterFields(BaseModel):
    """Every per-type parameter; which ones a type takes is in the description of `type`."""

    days: int | None = Field(default=None, description="days_before_appointment, days_before_birthday (0 = on the day)")
    send_time: str | None = Field(
        default=None, description="HH:MM local: days_before_appointment, days_before_birthday, after_services"
    )
    minutes: int | None = Field(default=None, description="minutes_before_appointment, after_status_change")
    day_type_ids: list[uuid.UUID] | None = Field(
        default=None, description="minutes_before_appointment, after_status_change"
    )
    only_created_on_sending_day: bool | None = Field(
        default=None, description="minutes_before_appointment, after_status_change"
    )
    set_communication_status_id: uuid.UUID | None = Field(
        default=None, description="days_before_appointment, minutes_before_appointment: status set after sending"
    )
    service_ids: list[uuid.UUID] | None = Field(default=None, description="after_services (at least one)")
    days_after: int | None = Field(default=None, description="after_services")
    status_id: uuid.UUID | None = Field(default=None, description="after_status_change")
    minutes_after: int | None = Field(default=None, description="lab_result_ready, discount_card_issued")
    only_when_all_done: bool | None = Field(
        default=None,
        description="lab_result_ready: one message when all results of the visit are in (orders at several labs "
        "included, LAB-9) instead of one per completed order",
    )


class ScheduleCreate(_ParameterFields):
    model_config = ConfigDict(extra="forbid")

    name: Name
    type: ScheduleType
    channel: Channel
    enabled: bool = True
    template: Template | None = Field(
        default=None,
        description="text with %Parameters% (GET /template-parameters); emoji allowed; "
        "omitted: the type's default text (GET /default-templates)",
    )
    subject: Subject | None = Field(
        default=None, description="e-mail subject (required for email, unless the default template is taken)"
    )


class ScheduleUpdate(_ParameterFields):
    """PATCH body: only the fields given change; null clears an optional parameter."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    type: ScheduleType | None = None
    channel: Channel | None = None
    enabled: bool | None = None
    template: Template | None = None
    subject: Subject | None = None


class ScheduleRead(_ParameterFields):
    """A schedule with the parameters of its type (the others are absent)."""

    id: uuid.UUID
    name: str
    type: ScheduleType
    channel: Channel
    enabled: bool
    template: str
    subject: str | None = None
    created_at: ClinicDateTime
    updated_at: ClinicDateTime
    updated_by_username: str | None = None


class PreviewRequest(BaseModel):
    """Render with a real appointment or patient, or with sample values (overridable)."""

    model_config = ConfigDict(extra="forbid")

    appointment_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    sample: dict[str, Annotated[str, StringConstraints(max_length=500)]] | None = Field(
        default=None, description="parameter name → value, over the built-in sample values"
    )


class PreviewRead(BaseModel):
    text: str
    subject: str | None = None
    channel: Channel
    encoding: str = Field(description="GSM-7 or UCS-2 (any Cyrillic or emoji)")
    length: int = Field(description="septets (GSM-7) or UTF-16 units (UCS-2)")
    characters: int
    segments: int = Field(description="SMS parts: 160/70 in one, 153/67 each when split")
    values: dict[str, Any]
