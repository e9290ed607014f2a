"""Builders of test data: catalogue events, schedule bodies, the envelopes that carry them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from clinic_shared.events import (
    AppointmentState,
    AttachCodeIssued,
    DiscountCardIssued,
    EventData,
    EventEnvelope,
    LabResultReady,
    LabVisitResultsReady,
    PatientState,
)

# A Monday, 2027-03-15, well away from DST changes in Moscow (which has none anyway).
T0 = datetime(2027, 3, 15, 7, 0, tzinfo=UTC)  # 10:00 in Moscow


def patient(**overrides: Any) -> PatientState:
    """A patient card with a mobile phone and an e-mail."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "card_number": "000123",
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Петрович",
        "birth_date": date(1985, 4, 12),
        "mobile_phone": "8 (922) 999-99-99",
        "email": "ivanov@example.org",
    }
    values.update(overrides)
    return PatientState(**values)


def appointment(**overrides: Any) -> AppointmentState:
    """An appointment tomorrow (T0 + 1 day) at 12:00 Moscow, 30 minutes."""
    start = overrides.pop("start", T0 + timedelta(days=1, hours=2))
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "number": "A-000001",
        "doctor_id": uuid.uuid4(),
        "doctor_name": "Петров П. П.",
        "cabinet_name": "101",
        "building_name": "Главный корпус",
        "building_address": "ул. Ленина, 1",
        "start": start,
        "end": start + timedelta(minutes=30),
        "created_at": T0 - timedelta(days=3),
    }
    values.update(overrides)
    return AppointmentState(**values)


def discount_card(patient_id: uuid.UUID, **overrides: Any) -> DiscountCardIssued:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "patient_id": patient_id,
        "number": "00000042",
        "percent": Decimal("5.00"),
        "issued_at": T0,
    }
    values.update(overrides)
    return DiscountCardIssued(**values)


def lab_result(patient_id: uuid.UUID, **overrides: Any) -> LabResultReady:
    values: dict[str, Any] = {"order_id": uuid.uuid4(), "patient_id": patient_id, "test_id": uuid.uuid4()}
    values.update(overrides)
    return LabResultReady(**values)


def visit_results(patient_id: uuid.UUID, **overrides: Any) -> LabVisitResultsReady:
    """`lab_visit.results_ready` (LAB-9): every order of the patient's visit is done."""
    values: dict[str, Any] = {
        "visit_id": uuid.uuid4(),
        "patient_id": patient_id,
        "appointment_id": uuid.uuid4(),
        "round": 1,
        "order_ids": [uuid.uuid4(), uuid.uuid4()],
        "completed_at": T0,
    }
    values.update(overrides)
    return LabVisitResultsReady(**values)


def attach_code(patient_id: uuid.UUID, **overrides: Any) -> AttachCodeIssued:
    values: dict[str, Any] = {
        "patient_id": patient_id,
        "code": "123456789",
        "expires_at": T0 + timedelta(days=1),
        "contact_priority": "mobile",
    }
    values.update(overrides)
    return AttachCodeIssued(**values)


def envelope(
    event_type: str, data: EventData, *, aggregate_id: Any, version: int = 1, occurred_at: datetime | None = None
) -> EventEnvelope:
    """An envelope as a producer would publish it."""
    return EventEnvelope(
        type=event_type,
        producer="tests",
        aggregate_id=str(aggregate_id),
        aggregate_version=version,
        occurred_at=occurred_at or T0,
        data=data.model_dump(mode="json"),
    )


def schedule_body(schedule_type: str = "days_before_appointment", **overrides: Any) -> dict[str, Any]:
    """A valid schedule of `schedule_type` (SMS unless overridden)."""
    parameters: dict[str, dict[str, Any]] = {
        "days_before_appointment": {"days": 1, "send_time": "10:00"},
        "days_before_birthday": {"days": 0, "send_time": "12:00"},
        "minutes_before_appointment": {"minutes": 120},
        "after_services": {"service_ids": [str(uuid.uuid4())], "days_after": 14, "send_time": "13:00"},
        "after_status_change": {"minutes": 180, "status_id": str(uuid.uuid4())},
        "lab_result_ready": {"minutes_after": 0},
        "discount_card_issued": {"minutes_after": 10},
    }
    templates = {
        "days_before_birthday": "%Name1%, с днём рождения! %ClinicName%",
        "lab_result_ready": "%Name1%, ваши анализы готовы.",
        "discount_card_issued": "%Name1%, ваша карта %DiscountCard% даёт скидку %DiscountPercent%%.",
    }
    body: dict[str, Any] = {
        "name": f"{schedule_type} schedule",
        "type": schedule_type,
        "channel": "sms",
        "template": templates.get(schedule_type, "%Name1%, ждём вас %Date% в %Time%, врач %Doctor%"),
        **parameters[schedule_type],
    }
    body.update(overrides)
    return body


ANY_VERSION = {"If-Match": "*"}
"""For tests not about concurrency: PUT /settings needs If-Match (428 without); `*` matches any version."""
