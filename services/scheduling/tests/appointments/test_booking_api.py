"""Booking an appointment through the gateway (SCH-4, SCH-9, SCH-17): answers, refusals, event."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from scheduling_test_builders import API, same_instant

pytestmark = pytest.mark.asyncio(loop_scope="module")
UNKNOWN = "00000000-0000-0000-0000-00000000abcd"


async def test_booking_a_free_slot_answers_201_with_number_marks_and_phone_links(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    appointment = await build.book(doctor["id"], day, "10:00", 30)

    assert appointment["number"].isdigit()
    assert appointment["doctor_name"] == "Смирнова Анна Сергеевна"
    assert same_instant(appointment["start"], datetime.fromisoformat(build.at(day, "10:00")))
    assert appointment["duration_minutes"] == 30
    assert appointment["is_primary"] is True
    assert appointment["marks"] == {"primary": True, "minor": False, "vip": False, "processed": False}
    assert appointment["mobile_phone"] == "79229999999"
    assert appointment["phone_with_country_code"] == "+79229999999"
    assert appointment["whatsapp_url"] == "https://wa.me/79229999999"


async def test_numbers_are_sequential(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    first = await build.book(doctor["id"], day, "10:00")
    second = await build.book(doctor["id"], day, "11:00")
    assert int(second["number"]) == int(first["number"]) + 1


async def test_primary_child_is_marked_minor(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    child = build.patient(birth_date=(build.today() - timedelta(days=365 * 10)).isoformat())

    appointment = await build.book(doctor["id"], day, "10:00", patient=child)

    assert appointment["marks"]["minor"] is True


async def test_booking_outside_working_hours_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "17:45", 30)

    assert response.status_code == 409
    assert response.json()["reason"] == "outside_working_hours"


async def test_booking_a_doctor_without_a_schedule_is_refused(build: Any) -> None:
    doctor = await build.doctor()

    response = await build.try_book(doctor["id"], build.day(1), "10:00")

    assert response.status_code == 409
    assert response.json()["reason"] == "outside_working_hours"
    assert "no working schedule" in response.json()["detail"]


async def test_booking_into_a_break_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "12:45", 30)

    assert response.status_code == 409
    assert response.json()["reason"] == "in_break"


async def test_booking_over_another_appointment_of_the_doctor_names_it(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    first = await build.book(doctor["id"], day, "10:00", 30)

    response = await build.try_book(doctor["id"], day, "10:15", 30)

    assert response.status_code == 409
    assert response.json()["reason"] == "overlap"
    assert response.json()["conflicts"] == [first["id"]]


async def test_booking_over_another_appointment_in_the_cabinet_names_it(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    first_doctor = await build.working_doctor(day)
    second_doctor = await build.working_doctor(day)
    first = await build.book(first_doctor["id"], day, "10:00", 30, cabinet_id=cabinet["id"])

    response = await build.try_book(second_doctor["id"], day, "10:00", 30, cabinet_id=cabinet["id"])

    assert response.status_code == 409
    assert response.json()["conflicts"] == [first["id"]]


async def test_back_to_back_appointments_do_not_overlap(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00", 30)
    assert (await build.try_book(doctor["id"], day, "10:30", 30)).status_code == 201


async def test_end_before_start_is_refused_naming_end(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = {
        "doctor_id": doctor["id"],
        "start": build.at(day, "10:00"),
        "end": build.at(day, "09:30"),
        "patient": build.patient(),
    }

    response = await build.client.post(f"{API}/appointments", json=body, headers=build.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


async def test_end_may_be_given_instead_of_a_duration(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = {
        "doctor_id": doctor["id"],
        "start": build.at(day, "10:00"),
        "end": build.at(day, "10:45"),
        "patient": build.patient(),
    }
    assert (await build.post("/appointments", body))["duration_minutes"] == 45


@pytest.mark.parametrize("minutes", [0, -30])
async def test_zero_or_negative_duration_is_refused(build: Any, minutes: int) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "10:00", minutes)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "duration_minutes"


async def test_start_without_an_offset_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = build.booking(doctor["id"], day)
    body["start"] = f"{day.isoformat()}T10:00:00"

    response = await build.client.post(f"{API}/appointments", json=body, headers=build.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


@pytest.mark.parametrize("field", ["doctor_id", "cabinet_id", "kind_id", "record_type_id", "status_id"])
async def test_unknown_ids_in_the_body_are_refused_naming_the_field(build: Any, field: str) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = build.booking(doctor["id"], day)
    body[field] = UNKNOWN

    response = await build.client.post(f"{API}/appointments", json=body, headers=build.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_unknown_service_is_refused_naming_its_line(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.try_book(doctor["id"], day, services=[{"service_id": UNKNOWN}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "services.0.service_id"


async def test_patient_must_be_a_card_or_typed_in_not_both(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    both = await build.try_book(doctor["id"], day, patient_id=UNKNOWN, patient=build.patient())
    neither = build.booking(doctor["id"], day)
    del neither["patient"]
    response = await build.client.post(f"{API}/appointments", json=neither, headers=build.headers)
    assert both.status_code == 422 and response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient_id"


async def test_unknown_card_is_refused_naming_patient_id(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.try_book(doctor["id"], day, patient_id=UNKNOWN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient_id"


async def test_a_phone_that_is_no_phone_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.try_book(doctor["id"], day, patient=build.patient(mobile_phone="12"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient.mobile_phone"


async def test_services_take_the_list_price_unless_another_is_given(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    consult = await build.service(price="1800.00")
    ecg = await build.service(price="900.00")

    appointment = await build.book(
        doctor["id"],
        day,
        services=[
            {"service_id": consult["id"], "quantity": 1},
            {"service_id": ecg["id"], "quantity": 2, "price": "750.00"},
        ],
    )

    assert [(s["code"], s["quantity"], s["price"]) for s in appointment["services"]] == [
        (consult["code"], 1, "1800.00"),
        (ecg["code"], 2, "750.00"),
    ]


async def test_overbooking_needs_its_right(build: Any, writer: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00")

    response = await build.client.post(
        f"{API}/appointments", json=build.booking(doctor["id"], day, "10:00", overbook=True), headers=writer
    )

    assert response.status_code == 403


async def test_overbooking_on_purpose_double_books_and_is_journaled(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00")

    second = await build.book(doctor["id"], day, "10:00", overbook=True)

    assert second["overbooked"] is True
    history = await build.get(f"/appointments/{second['id']}/history")
    assert [entry["action"] for entry in history["items"]] == ["created", "overbooked"]


async def test_overbooking_still_respects_working_hours(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.try_book(doctor["id"], day, "19:00", overbook=True)
    assert response.status_code == 409
    assert response.json()["reason"] == "outside_working_hours"


async def test_booking_needs_the_write_right(build: Any, reader: dict[str, str]) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.client.post(f"{API}/appointments", json=build.booking(doctor["id"], day), headers=reader)
    assert response.status_code == 403


async def test_unknown_appointment_is_404(build: Any) -> None:
    response = await build.client.get(f"{API}/appointments/{UNKNOWN}", headers=build.headers)
    assert response.status_code == 404


async def test_booking_publishes_the_full_appointment_state(build: Any) -> None:
    day = build.day(1)
    building = await build.building(name="Корпус на Ленина", address="ул. Ленина, 10")
    cabinet = await build.cabinet(name="101", building_id=building["id"])
    day_type = await build.item("day-types", colour="#FFF2CC")
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], day_type_id=day_type["id"])
    online = next(t for t in (await build.get("/record-types", limit=500))["items"] if t["code"] == "online")
    service = await build.service()

    appointment = await build.book(
        doctor["id"],
        day,
        "10:00",
        cabinet_id=cabinet["id"],
        record_type_id=online["id"],
        services=[{"service_id": service["id"]}],
    )

    envelope = await build.platform.wait_for_event("appointment.created", lambda e: e.aggregate_id == appointment["id"])
    data = envelope.data
    assert envelope.aggregate_version == 1
    assert data["number"] == appointment["number"]
    assert data["doctor_name"] == "Смирнова Анна Сергеевна"
    assert (data["cabinet_name"], data["building_name"], data["building_address"]) == (
        "101",
        "Корпус на Ленина",
        "ул. Ленина, 10",
    )
    assert data["day_type_id"] == day_type["id"]
    assert data["record_type_code"] == "online"
    assert data["service_ids"] == [service["id"]]
    assert (data["last_name"], data["mobile_phone"], data["is_primary"]) == ("Петров", "79229999999", True)


async def test_repeating_a_booking_with_its_idempotency_key_returns_the_same_appointment(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = build.booking(doctor["id"], day, "10:00")
    headers = {**build.headers, "Idempotency-Key": "booking-42"}

    first = await build.client.post(f"{API}/appointments", json=body, headers=headers)
    again = await build.client.post(f"{API}/appointments", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert (await build.get("/appointments", doctor_id=doctor["id"]))["total"] == 1


async def test_an_idempotency_key_reused_for_another_booking_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    headers = {**build.headers, "Idempotency-Key": "booking-43"}
    await build.client.post(f"{API}/appointments", json=build.booking(doctor["id"], day, "10:00"), headers=headers)

    response = await build.client.post(
        f"{API}/appointments", json=build.booking(doctor["id"], day, "11:00"), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
