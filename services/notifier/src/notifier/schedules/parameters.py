"""Per-type parameters of a mailing schedule (NOT-3): a discriminated union on `type`.

`parse_parameters` validates the parameters given for a type and turns pydantic's errors into
422 problem details naming the field as the client wrote it (`minutes`, not
`days_before_appointment.minutes`), with a clear message for a parameter of another type.
"""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from clinic_shared.errors import ValidationFailed

NonNegative = Annotated[int, Field(ge=0, le=3650)]
Minutes = Annotated[int, Field(ge=0, le=60 * 24 * 60)]


def parse_send_time(value: Any) -> time:
    """'HH:MM' (24-hour clock) → time."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValueError("must be a time as HH:MM, e.g. 10:00")
    try:
        return time(int(value[:2]), int(value[3:]))
    except ValueError as exc:
        raise ValueError("must be a time as HH:MM between 00:00 and 23:59") from exc


class _Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SendTime(_Parameters):
    send_time: time = Field(description="HH:MM in the clinic time zone")

    @field_validator("send_time", mode="before")
    @classmethod
    def _send_time(cls, value: Any) -> time:
        return parse_send_time(value)


class DaysBeforeAppointment(_SendTime):
    type: Literal["days_before_appointment"] = "days_before_appointment"
    days: NonNegative
    set_communication_status_id: uuid.UUID | None = None


class DaysBeforeBirthday(_SendTime):
    type: Literal["days_before_birthday"] = "days_before_birthday"
    days: NonNegative = Field(description="0 = on the birthday")


class MinutesBeforeAppointment(_Parameters):
    type: Literal["minutes_before_appointment"] = "minutes_before_appointment"
    minutes: Minutes
    day_type_ids: list[uuid.UUID] | None = None
    only_created_on_sending_day: bool = False
    set_communication_status_id: uuid.UUID | None = None


class AfterServices(_SendTime):
    type: Literal["after_services"] = "after_services"
    service_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]
    days_after: NonNegative


class AfterStatusChange(_Parameters):
    type: Literal["after_status_change"] = "after_status_change"
    minutes: Minutes
    status_id: uuid.UUID
    day_type_ids: list[uuid.UUID] | None = None
    only_created_on_sending_day: bool = False


class LabResultReady(_Parameters):
    type: Literal["lab_result_ready"] = "lab_result_ready"
    minutes_after: Minutes
    only_when_all_done: bool = False


class DiscountCardIssued(_Parameters):
    type: Literal["discount_card_issued"] = "discount_card_issued"
    minutes_after: Minutes


ScheduleParameters = Annotated[
    DaysBeforeAppointment
    | DaysBeforeBirthday
    | MinutesBeforeAppointment
    | AfterServices
    | AfterStatusChange
    | LabResultReady
    | DiscountCardIssued,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[ScheduleParameters] = TypeAdapter(ScheduleParameters)
PARAMETER_MODELS: dict[str, type[_Parameters]] = {
    model.model_fields["type"].default: model
    for model in (
        DaysBeforeAppointment,
        DaysBeforeBirthday,
        MinutesBeforeAppointment,
        AfterServices,
        AfterStatusChange,
        LabResultReady,
        DiscountCardIssued,
    )
}
PARAMETER_FIELDS: frozenset[str] = frozenset(
    name for model in PARAMETER_MODELS.values() for name in model.model_fields if name != "type"
)


def parse_parameters(schedule_type: str, values: dict[str, Any]) -> ScheduleParameters:
    """Validate the parameters of a `schedule_type` schedule; 422 naming the field otherwise."""
    try:
        return _ADAPTER.validate_python({**values, "type": schedule_type})
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            if loc and loc[0] == schedule_type:
                loc = loc[1:]
            field = ".".join(loc) or "type"
            code = str(error["type"])
            if code == "extra_forbidden":
                code, message = "not_a_parameter", f"is not a parameter of {schedule_type} schedules"
            elif code == "missing":
                code, message = "required_parameter", f"is required for {schedule_type} schedules"
            else:
                message = str(error["msg"]).removeprefix("Value error, ")
            errors.append({"field": field, "code": code, "message": message})
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise ValidationFailed(f"Invalid schedule parameters: {fields}", errors=errors) from exc


def parameters_dict(parameters: ScheduleParameters) -> dict[str, Any]:
    """The parameters as JSON-ready values, without `type`."""
    data = parameters.model_dump(mode="json", exclude={"type"})
    if "send_time" in data:
        data["send_time"] = parameters.send_time.strftime("%H:%M")  # type: ignore[union-attr]  # send_time is set for this schedule type (validated)
    return data
