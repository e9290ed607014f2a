"""A website booking of a patient attached to ONDOC reaches ONDOC (OND-4, «Через web-сервисы»):
the widget's booking is matched to the patient's card by name, birth date and phone, and the
card's booking is pushed like any other."""

from __future__ import annotations

import pytest
from ondoc_testkit import (
    SCHEDULING,
    attach_patient,
    clinic_day,
    clinic_time,
    fake_appointment,
    needs_scheduling,
    scheduling_appointment,
    scheduling_post,
    wait_until,
    working_doctor,
)

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "scheduling", "ondoc"]


async def test_a_website_booking_of_an_attached_patient_reaches_ondoc(platform: Platform) -> None:
    card, ondoc_patient_id = await attach_patient(platform, mobile_phone="+7 922 555-01-02", birth_date="1987-06-05")
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    # The patient came to the desk before: scheduling holds the card (its event may still be on the way).
    await scheduling_post(
        platform,
        "/appointments",
        {
            "doctor_id": doctor["id"],
            "start": clinic_time(day, "09:00"),
            "duration_minutes": 30,
            "patient_id": card["id"],
        },
    )
    key = (await scheduling_post(platform, "/online/api-keys", {"label": "website"}))["key"]

    response = await platform.client.post(
        f"{SCHEDULING}/online/appointments",
        json={
            "doctor_id": doctor["id"],
            "start": clinic_time(day, "12:00"),
            "patient": {
                "last_name": "смирнова",
                "first_name": "Анна",
                "middle_name": "Сергеевна",
                "birth_date": "1987-06-05",
                "mobile_phone": "8 922 555 01 02",
            },
        },
        headers={"X-Api-Key": key},
    )

    assert response.status_code == 201, response.text
    booked = await scheduling_appointment(platform, response.json()["id"])
    assert (booked["patient_id"], booked["record_type_code"]) == (card["id"], "online")
    held: dict = {}

    async def pushed() -> bool:
        found = await fake_appointment(platform, booked["id"])
        if found is not None and found["current"]["status"] == "active":
            held.update(found["current"])
            return True
        return False

    await wait_until(pushed, what="the website booking in ONDOC")
    assert held["ondoc_patient_id"] == ondoc_patient_id
    assert held["start"] == clinic_time(day, "12:00")
