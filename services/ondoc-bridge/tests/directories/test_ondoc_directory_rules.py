"""What is uploaded to ONDOC and when (OND-8): pure rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ondoc_bridge.directories.rules import doctor_items, slot_items, slot_period, upload_due
from ondoc_bridge.zones import parse_zone

NOW = datetime(2030, 3, 1, 21, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


def due(**overrides: object) -> bool:
    values: dict[str, object] = {
        "enabled": True,
        "last_attempt": NOW - 2 * HOUR,
        "now": NOW,
        "interval": HOUR,
        "running_for": timedelta(minutes=5),
        "first_delay": timedelta(minutes=1),
    }
    values.update(overrides)
    return upload_due(**values)  # type: ignore[arg-type]


def test_an_upload_is_due_once_the_interval_has_passed() -> None:
    assert due(last_attempt=NOW - HOUR)


def test_no_upload_is_due_within_the_interval() -> None:
    assert not due(last_attempt=NOW - timedelta(minutes=59))


def test_nothing_is_uploaded_while_switched_off() -> None:
    assert not due(enabled=False)


@pytest.mark.parametrize(("running", "expected"), [(timedelta(seconds=30), False), (timedelta(minutes=1), True)])
def test_the_first_upload_waits_for_the_first_delay_after_a_start(running: timedelta, expected: bool) -> None:
    assert due(last_attempt=None, running_for=running) is expected


def test_mapped_doctors_carry_ondocs_ids_for_them_and_their_specializations() -> None:
    doctor, specialization = uuid.uuid4(), uuid.uuid4()
    rows = [{"id": doctor, "last_name": "Петров", "specialization_ids": [specialization], "online_booking": True}]
    mappings = {"doctors": {str(doctor): "D-1"}, "specializations": {str(specialization): "SP-9"}}
    [item] = doctor_items(rows, mappings)
    assert (item["ondoc_id"], item["specializations"][0]["ondoc_id"]) == ("D-1", "SP-9")


def test_unmapped_items_go_with_our_id_only() -> None:
    [item] = doctor_items([{"id": uuid.uuid4(), "specialization_ids": []}], {})
    assert item["ondoc_id"] is None


def test_free_slots_are_written_on_the_clinic_clock() -> None:
    doctor = str(uuid.uuid4())
    rows = [{"doctor_id": doctor, "start": "2030-03-02T06:00:00+00:00", "end": "2030-03-02T06:30:00+00:00"}]
    [slot] = slot_items(rows, doctor_names={doctor: "Петров"}, mappings={}, zone=parse_zone("+03:00"))
    assert slot.model_dump(mode="json")["start"] == "2030-03-02T09:00:00+03:00"


def test_the_slot_period_starts_today_on_the_clinic_calendar() -> None:
    # 21:30 UTC on 1 March is already 2 March in Moscow.
    assert slot_period(NOW, parse_zone("Europe/Moscow"), 14) == (
        datetime(2030, 3, 2).date(),
        datetime(2030, 3, 15).date(),
    )
