"""Booking and cancelling from ONDOC (OND-5): through scheduling, with its checks."""

from __future__ import annotations

from ondoc_testkit import (
    FAKE,
    SCHEDULING,
    attach_patient,
    clinic_day,
    clinic_time,
    fake_appointment,
    needs_scheduling,
    scheduling_appointment,
    wait_until,
    working_doctor,
)

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling


async def book(platform: Platform, **body: object) -> dict:
    response = await platform.client.post(f"{FAKE}/book", json=body, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_booking_in_ondoc_appears_in_scheduling_with_record_type_ondoc(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    answer = await book(
        platform,
        ondoc_patient_id=ondoc_patient_id,
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "10:00"),
        duration_minutes=30,
    )
    assert answer["status"] == 201, answer
    appointment = await scheduling_appointment(platform, answer["body"]["appointment_id"])
    assert (appointment["patient_id"], appointment["doctor_id"], appointment["record_type_code"]) == (
        card["id"],
        doctor["id"],
        "ondoc",
    )


async def test_a_taken_slot_is_refused_to_ondoc_with_a_clear_reason(platform: Platform) -> None:
    _, first = await attach_patient(platform)
    _, second = await attach_patient(platform, last_name="Орлова")
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    slot = {"doctor_mis_id": doctor["id"], "start": clinic_time(day, "11:00"), "duration_minutes": 30}
    assert (await book(platform, ondoc_patient_id=first, **slot))["status"] == 201
    refused = await book(platform, ondoc_patient_id=second, **slot)
    assert refused["status"] == 409 and refused["body"]["reason"] == "slot_unavailable"
    assert refused["body"]["detail"].startswith("The slot cannot be booked")


async def test_a_booking_outside_working_hours_is_refused(platform: Platform) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    refused = await book(
        platform,
        ondoc_patient_id=ondoc_patient_id,
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "20:00"),
        duration_minutes=30,
    )
    assert refused["status"] == 409


async def test_a_booking_callback_delivered_twice_creates_one_appointment(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    slot = {
        "ondoc_patient_id": ondoc_patient_id,
        "ondoc_appointment_id": "ondoc-appt-1",
        "doctor_mis_id": doctor["id"],
        "start": clinic_time(day, "12:00"),
        "duration_minutes": 30,
        "callback_id": "cb-book-twice",
    }
    first = await book(platform, **slot)
    again = await book(platform, **slot)
    assert (first["status"], again["status"], again["replayed"]) == (201, 201, True)
    assert again["body"] == first["body"]
    response = await platform.client.get(
        f"{SCHEDULING}/appointments",
        params={"patient_id": card["id"], "date_from": day.isoformat(), "date_to": day.isoformat()},
        headers=platform.admin_headers,
    )
    assert response.json()["total"] == 1


async def test_a_patient_not_attached_cannot_book(platform: Platform) -> None:
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    refused = await book(
        platform,
        ondoc_patient_id="nobody-we-know",
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "10:00"),
        duration_minutes=30,
    )
    assert refused["status"] == 422 and refused["body"]["errors"][0]["field"] == "ondoc_patient_id"


async def test_a_cancellation_in_ondoc_goes_through_when_a_reason_is_required_and_keeps_the_patients_words(
    platform: Platform,
) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    response = await platform.client.put(
        f"{SCHEDULING}/settings",
        json={"deletion_reason_required": True},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200, response.text
    booked = await book(
        platform,
        ondoc_patient_id=ondoc_patient_id,
        ondoc_appointment_id="ondoc-appt-9",
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "15:00"),
        duration_minutes=30,
    )
    response = await platform.client.post(
        f"{FAKE}/cancel",
        json={
            "ondoc_patient_id": ondoc_patient_id,
            "ondoc_appointment_id": "ondoc-appt-9",
            "reason": "Не смогу прийти",
        },
        headers=platform.admin_headers,
    )
    assert response.json()["status"] == 200, response.json()
    appointment_id = booked["body"]["appointment_id"]
    appointment = await scheduling_appointment(platform, appointment_id)
    assert appointment["deleted"] is True
    assert (appointment["deletion_reason"], appointment["deletion_comment"]) == (
        "Отменена пациентом в ONDOC",
        "Не смогу прийти",
    )
    # ONDOC gets both back: who cancelled, and the patient's own words.
    found: dict = {}

    async def cancelled_in_ondoc() -> bool:
        held = await fake_appointment(platform, appointment_id)
        if held is not None and held["current"]["status"] == "cancelled":
            found.update(held["current"])
            return True
        return False

    await wait_until(cancelled_in_ondoc, what="the cancellation in the fake ONDOC")
    assert (found["cancel_reason"], found["cancel_comment"]) == ("Отменена пациентом в ONDOC", "Не смогу прийти")


async def test_ondoc_cannot_cancel_another_patients_appointment(platform: Platform) -> None:
    _, owner = await attach_patient(platform)
    _, stranger = await attach_patient(platform, last_name="Чужой")
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    booked = await book(
        platform,
        ondoc_patient_id=owner,
        doctor_mis_id=doctor["id"],
        start=clinic_time(day, "16:00"),
        duration_minutes=30,
    )
    response = await platform.client.post(
        f"{FAKE}/cancel",
        json={"ondoc_patient_id": stranger, "mis_appointment_id": booked["body"]["appointment_id"]},
        headers=platform.admin_headers,
    )
    assert response.json()["status"] == 404
    assert (await scheduling_appointment(platform, booked["body"]["appointment_id"]))["deleted"] is False
