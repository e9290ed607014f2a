"""Outbound rules (OND-4, OND-6): never older over newer, backoff with jitter, ONDOC's payload."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ondoc_testkit import appointment_state

from ondoc_bridge.outbound.rules import appointment_upsert, backoff_delay, replaces
from ondoc_bridge.zones import parse_zone

PATIENT = uuid.uuid4()


def upsert(state, *, zone: str = "+03:00", mappings=None, version: int = 1):
    return appointment_upsert(
        state,
        version=version,
        ondoc_patient_id="p-1",
        patient_id=PATIENT,
        zone=parse_zone(zone),
        zone_name=zone,
        mappings=mappings or {},
    )


@given(stored=st.integers(min_value=1, max_value=10_000), incoming=st.integers(min_value=1, max_value=10_000))
def test_a_state_replaces_the_stored_one_only_when_newer(stored: int, incoming: int) -> None:
    assert replaces(stored, incoming) == (incoming > stored)


def test_the_first_state_always_goes_in() -> None:
    assert replaces(None, 1)


@given(
    versions=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=60),
)
def test_applying_states_in_any_order_keeps_the_newest(versions: list[int]) -> None:
    stored: int | None = None
    for version in versions:
        if replaces(stored, version):
            stored = version
    assert stored == max(versions)


def test_delays_grow_exponentially_up_to_the_cap() -> None:
    middle = lambda: 0.5  # noqa: E731 - no jitter: the factor is exactly 1
    assert [backoff_delay(n, base=1, cap=30, rand=middle) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


@given(attempt=st.integers(min_value=1, max_value=1000), rand=st.floats(min_value=0, max_value=0.999))
def test_jitter_stays_within_half_to_one_and_a_half_and_under_the_cap(attempt: int, rand: float) -> None:
    delay = backoff_delay(attempt, base=2, cap=300, rand=lambda: rand)
    exponential = min(300, 2 * 2 ** min(attempt - 1, 30))
    assert 0.5 * exponential <= delay <= min(300, 1.5 * exponential)


def test_times_reach_ondoc_on_the_clinic_clock() -> None:
    state = appointment_state(PATIENT, start=datetime(2030, 5, 6, 7, 0, tzinfo=UTC))
    body = upsert(state, zone="Europe/Moscow").model_dump(mode="json")
    assert (body["start"], body["end"], body["time_zone"]) == (
        "2030-05-06T10:00:00+03:00",
        "2030-05-06T10:30:00+03:00",
        "Europe/Moscow",
    )


def test_a_deleted_appointment_goes_as_cancelled_with_its_reason() -> None:
    state = appointment_state(PATIENT, deleted=True, deletion_reason="Пациент заболел")
    body = upsert(state)
    assert (body.status, body.cancel_reason) == ("cancelled", "Пациент заболел")


def test_a_deleted_appointment_without_a_reason_still_says_why() -> None:
    assert upsert(appointment_state(PATIENT, deleted=True)).cancel_reason == "Отменена клиникой"


def test_a_restored_appointment_goes_as_active_again() -> None:
    body = upsert(appointment_state(PATIENT, deleted=False, deletion_reason="old reason"), version=3)
    assert (body.status, body.cancel_reason, body.version) == ("active", None, 3)


def test_mapped_directory_items_carry_ondocs_ids() -> None:
    doctor, service, specialization = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    state = appointment_state(PATIENT, doctor_id=doctor, service_ids=[service], specialization_ids=[specialization])
    mappings = {"doctors": {str(doctor): "D-7"}, "services": {str(service): "S-1"}}
    body = upsert(state, mappings=mappings)
    assert (body.doctor.ondoc_id, body.services[0].ondoc_id, body.specializations[0].ondoc_id) == ("D-7", "S-1", None)


@pytest.mark.parametrize("minutes", [15, 45, 90])
def test_the_length_of_an_appointment_is_kept(minutes: int) -> None:
    start = datetime(2030, 5, 6, 7, 0, tzinfo=UTC)
    body = upsert(appointment_state(PATIENT, start=start, end=start + timedelta(minutes=minutes)))
    assert body.end - body.start == timedelta(minutes=minutes)
