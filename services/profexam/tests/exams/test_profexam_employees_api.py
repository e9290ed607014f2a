"""Employees of an exam: by hand, from a card, twice, removed, kept in step with the card (PRO-2)."""

from __future__ import annotations

import asyncio

from clinic_shared.testing.platform import Platform

API = "/api/profexam"
NEW_PATIENT = {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "Сергеевна", "birth_date": "1990-05-06"}


async def test_adding_by_hand_creates_the_card_in_patients(api) -> None:
    exam = await api.exam()
    employee = await api.post(
        f"/exams/{exam['id']}/employees",
        {
            "patient": {**NEW_PATIENT, "mobile_phone": "8 922 111-22-33"},
            "position": "Бухгалтер",
            "exam_type": 0,
            "working_conditions": "3.2",
            "harmful_factor_codes": ["п. 4.2.5", "1.1"],
        },
    )
    assert (employee["sex"], employee["exam_type"], employee["working_conditions"]) == ("female", 0, "3.2")
    assert employee["harmful_factor_codes"] == ["4.2.5", "1.1"] and employee["source"] == "manual"
    card = await api.client.get(f"/api/patients/cards/{employee['patient_id']}", headers=api.headers)
    assert card.status_code == 200 and card.json()["mobile_phone"] == "79221112233"
    assert employee["phone"] == "79221112233" and employee["card_number"] == card.json()["card_number"]


async def test_a_phone_typed_in_is_normalised_like_a_card_phone(api) -> None:
    exam = await api.exam()
    employee = await api.post(
        f"/exams/{exam['id']}/employees", {"patient": {**NEW_PATIENT, "mobile_phone": "8 843 555 12 12"}}
    )
    assert employee["phone"] == "78435551212"


async def test_a_bad_phone_typed_in_is_422_with_the_card_phone_message_and_makes_no_card(api) -> None:
    exam = await api.exam()
    for phone in ("12", "abc", "8 922 111-22-33 доб. 5"):
        card = await api.client.post(
            "/api/patients/cards", json={**NEW_PATIENT, "mobile_phone": phone}, headers=api.headers
        )
        assert card.status_code == 422
        response = await api.client.post(
            f"{API}/exams/{exam['id']}/employees",
            json={"patient": {**NEW_PATIENT, "mobile_phone": phone}},
            headers=api.headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "patient.mobile_phone", "code": "invalid_phone", "message": card.json()["errors"][0]["message"]}
        ]
    cards = await api.client.get("/api/patients/cards", params={"q": "Смирнова"}, headers=api.headers)
    assert cards.json()["total"] == 0


async def test_adding_from_an_existing_card_copies_its_name(api) -> None:
    exam = await api.exam()
    card = await api.client.post("/api/patients/cards", json=NEW_PATIENT, headers=api.headers)
    employee = await api.post(f"/exams/{exam['id']}/employees", {"patient_id": card.json()["id"]})
    assert (employee["last_name"], employee["birth_date"], employee["source"]) == ("Смирнова", "1990-05-06", "card")
    assert [e["id"] for e in await api.employees(exam["id"])] == [employee["id"]]


async def test_the_same_patient_twice_in_one_exam_is_409(api) -> None:
    exam = await api.exam()
    first = await api.post(f"/exams/{exam['id']}/employees", {"patient": NEW_PATIENT})
    again = await api.client.post(
        f"{API}/exams/{exam['id']}/employees", json={"patient_id": first["patient_id"]}, headers=api.headers
    )
    assert again.status_code == 409 and again.json()["conflicts"][0]["employee_id"] == first["id"]
    by_hand = await api.client.post(
        f"{API}/exams/{exam['id']}/employees", json={"patient": NEW_PATIENT}, headers=api.headers
    )
    assert by_hand.status_code == 409  # the card is matched by name and birth date, not made twice


async def test_an_unknown_card_or_factor_is_422_naming_the_field(api) -> None:
    exam = await api.exam()
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/employees",
        json={"patient_id": "00000000-0000-0000-0000-000000000001"},
        headers=api.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "patient_id"
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/employees",
        json={"patient": NEW_PATIENT, "harmful_factor_codes": ["77.7"]},
        headers=api.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "harmful_factor_codes"


async def test_a_card_patients_refuses_is_422_naming_the_patient_field(api) -> None:
    exam = await api.exam()
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/employees",
        json={"patient": {**NEW_PATIENT, "mobile_phone": "12"}},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient.mobile_phone"


async def test_removing_an_employee_keeps_the_card(api) -> None:
    exam = await api.exam()
    employee = await api.post(f"/exams/{exam['id']}/employees", {"patient": NEW_PATIENT})
    response = await api.client.delete(f"{API}/exams/{exam['id']}/employees/{employee['id']}", headers=api.headers)
    assert response.status_code == 204
    assert await api.employees(exam["id"]) == []
    card = await api.client.get(f"/api/patients/cards/{employee['patient_id']}", headers=api.headers)
    assert card.status_code == 200


async def test_adding_by_hand_needs_the_right_to_create_cards(platform: Platform, api) -> None:
    exam = await api.exam()
    headers = await platform.headers_with(["profexam.read", "profexam.write", "patients.read"])
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/employees", json={"patient": NEW_PATIENT}, headers=headers
    )
    assert response.status_code == 403 and "patients.write" in response.json()["detail"]


async def test_a_changed_card_renames_the_employee(api) -> None:
    exam = await api.exam()
    employee = await api.post(f"/exams/{exam['id']}/employees", {"patient": NEW_PATIENT})
    response = await api.client.patch(
        f"/api/patients/cards/{employee['patient_id']}",
        json={"last_name": "Кузнецова"},
        headers={**api.headers, "If-Match": "*"},
    )
    assert response.status_code == 200
    for _ in range(100):
        names = [e["last_name"] for e in await api.employees(exam["id"])]
        if names == ["Кузнецова"]:
            break
        await asyncio.sleep(0.1)
    assert names == ["Кузнецова"]
