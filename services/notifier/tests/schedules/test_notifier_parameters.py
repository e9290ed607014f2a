"""Per-type schedule parameters: the discriminated union and its errors (NOT-3)."""

from __future__ import annotations

import uuid
from datetime import time

import pytest

from clinic_shared.errors import ValidationFailed
from notifier.schedules.parameters import (
    AfterServices,
    DaysBeforeAppointment,
    MinutesBeforeAppointment,
    parameters_dict,
    parse_parameters,
)


def fields_of(error: ValidationFailed) -> dict[str, str]:
    return {e["field"]: e["message"] for e in error.errors or []}


def test_days_before_appointment_reads_days_and_send_time() -> None:
    parsed = parse_parameters("days_before_appointment", {"days": 2, "send_time": "13:30"})
    assert parsed == DaysBeforeAppointment(days=2, send_time=time(13, 30))
    assert parameters_dict(parsed) == {"days": 2, "send_time": "13:30", "set_communication_status_id": None}


def test_minutes_on_a_days_type_schedule_is_named_as_foreign() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("days_before_appointment", {"days": 1, "send_time": "10:00", "minutes": 30})
    assert fields_of(error.value) == {"minutes": "is not a parameter of days_before_appointment schedules"}


def test_a_missing_send_time_is_named() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("days_before_birthday", {"days": 0})
    assert fields_of(error.value) == {"send_time": "is required for days_before_birthday schedules"}


@pytest.mark.parametrize("send_time", ["25:00", "10:60", "10-00", "1000", "", "7:00"])
def test_a_bad_send_time_is_refused(send_time: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("days_before_appointment", {"days": 1, "send_time": send_time})
    assert "send_time" in fields_of(error.value)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("days_before_appointment", {"days": -1, "send_time": "10:00"})
    assert list(fields_of(error.value)) == ["days"]


def test_after_services_needs_at_least_one_service() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("after_services", {"service_ids": [], "days_after": 3, "send_time": "10:00"})
    assert list(fields_of(error.value)) == ["service_ids"]


def test_after_status_change_needs_the_status() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("after_status_change", {"minutes": 10})
    assert list(fields_of(error.value)) == ["status_id"]


def test_a_bad_day_type_id_is_named_with_its_index() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("minutes_before_appointment", {"minutes": 10, "day_type_ids": ["x"]})
    assert list(fields_of(error.value)) == ["day_type_ids.0"]


def test_optional_flags_default_to_off() -> None:
    parsed = parse_parameters("minutes_before_appointment", {"minutes": 60})
    assert parsed == MinutesBeforeAppointment(minutes=60)
    assert parsed.only_created_on_sending_day is False


def test_lab_and_discount_types_take_minutes_after() -> None:
    assert parse_parameters("lab_result_ready", {"minutes_after": 5, "only_when_all_done": True}).minutes_after == 5
    with pytest.raises(ValidationFailed) as error:
        parse_parameters("discount_card_issued", {"minutes_after": 5, "only_when_all_done": True})
    assert list(fields_of(error.value)) == ["only_when_all_done"]


def test_after_services_round_trips_through_its_dict() -> None:
    service = uuid.uuid4()
    parsed = parse_parameters("after_services", {"service_ids": [str(service)], "days_after": 14, "send_time": "09:05"})
    assert parse_parameters("after_services", parameters_dict(parsed)) == parsed
    assert isinstance(parsed, AfterServices)
