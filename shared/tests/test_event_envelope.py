"""The event envelope and catalogue: the contract between services."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from clinic_shared.context import correlation_id_var
from clinic_shared.events import (
    EVENT_CATALOGUE,
    AppointmentState,
    EventEnvelope,
    PatientState,
    UnknownEventType,
    new_event,
    topic_matches,
)


def patient(**overrides: object) -> PatientState:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "card_number": "000123",
        "last_name": "Testov",
        "first_name": "Test",
        "birth_date": "1990-02-03",
    }
    values.update(overrides)
    return PatientState.model_validate(values)


def test_envelope_survives_a_json_round_trip() -> None:
    data = patient()
    envelope = new_event("patient.created", data, producer="patients", aggregate_id=data.id, aggregate_version=3)

    restored = EventEnvelope.model_validate_json(envelope.model_dump_json())

    assert restored == envelope


def test_envelope_json_has_the_documented_fields() -> None:
    data = patient()
    envelope = new_event("patient.updated", data, producer="patients", aggregate_id=data.id, aggregate_version=2)

    body = json.loads(envelope.model_dump_json())

    assert set(body) == {
        "id",
        "type",
        "version",
        "occurred_at",
        "producer",
        "correlation_id",
        "traceparent",
        "aggregate_id",
        "aggregate_version",
        "data",
    }
    assert uuid.UUID(body["id"]) == envelope.id
    assert body["type"] == "patient.updated"
    assert body["version"] == 1
    assert datetime.fromisoformat(body["occurred_at"]).utcoffset() is not None
    assert body["aggregate_id"] == str(data.id)
    assert body["aggregate_version"] == 2
    assert body["data"]["birth_date"] == "1990-02-03"


def test_envelope_data_parses_into_the_catalogue_model() -> None:
    data = patient()
    envelope = new_event("patient.created", data, producer="patients", aggregate_id=data.id, aggregate_version=1)

    payload = envelope.payload()

    assert isinstance(payload, PatientState)
    assert payload.id == data.id


def test_new_event_rejects_data_that_breaks_the_contract() -> None:
    broken = PatientState.model_construct(
        id=uuid.uuid4(), card_number="1", last_name="A", first_name="B", sex="unknown"
    )

    with pytest.raises(ValidationError):
        new_event("patient.created", broken, producer="patients", aggregate_id=uuid.uuid4(), aggregate_version=1)


def test_new_event_rejects_data_of_another_event_type() -> None:
    appointment = AppointmentState(
        id=uuid.uuid4(),
        number="A-1",
        doctor_id=uuid.uuid4(),
        start=datetime(2024, 5, 1, 9, tzinfo=UTC),
        end=datetime(2024, 5, 1, 10, tzinfo=UTC),
    )

    with pytest.raises(ValidationError):
        new_event("patient.created", appointment, producer="x", aggregate_id=appointment.id, aggregate_version=1)


def test_new_event_rejects_an_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType):
        new_event("patient.teleported", patient(), producer="patients", aggregate_id=uuid.uuid4(), aggregate_version=1)


def test_new_event_rejects_a_negative_aggregate_version() -> None:
    data = patient()

    with pytest.raises(ValidationError):
        new_event("patient.created", data, producer="patients", aggregate_id=data.id, aggregate_version=-1)


def test_catalogue_models_keep_fields_a_producer_added() -> None:
    data = patient(loyalty_level="gold")
    envelope = new_event("patient.created", data, producer="patients", aggregate_id=data.id, aggregate_version=1)

    assert envelope.data["loyalty_level"] == "gold"


def test_new_event_carries_the_current_correlation_id() -> None:
    token = correlation_id_var.set("corr-123")
    try:
        data = patient()
        envelope = new_event("patient.created", data, producer="patients", aggregate_id=data.id, aggregate_version=1)
    finally:
        correlation_id_var.reset(token)

    assert envelope.correlation_id == "corr-123"


def test_every_catalogued_type_is_a_two_part_topic() -> None:
    for event_type in EVENT_CATALOGUE:
        assert len(event_type.split(".")) == 2, event_type


@pytest.mark.parametrize(
    ("pattern", "routing_key", "expected"),
    [
        ("patient.created", "patient.created", True),
        ("patient.created", "patient.updated", False),
        ("patient.*", "patient.created", True),
        ("patient.*", "patient", False),
        ("patient.*", "patient.created.extra", False),
        ("patient.*", "appointment.created", False),
        ("*.created", "appointment.created", True),
        ("#", "patient.created", True),
        ("#", "lab_result.ready", True),
        ("appointment.#", "appointment.status_changed", True),
        ("appointment.#", "appointment", True),
        ("appointment.#", "appointment.a.b", True),
        ("appointment.#", "appointments.created", False),
        ("#.created", "patient.created", True),
        ("#.created", "patient.updated", False),
        ("discount_card.issued", "discount_card.issued", True),
    ],
)
def test_topic_matches_like_an_amqp_topic_exchange(pattern: str, routing_key: str, expected: bool) -> None:
    assert topic_matches(pattern, routing_key) is expected
