"""The exam list export shows the patient's card number, not the card's id (PRO-6)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from openpyxl import load_workbook
from profexam_builders import employee_row, employees_xlsx

from clinic_shared.testing.platform import Platform

API = "/api/profexam"
PATIENT = {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "Сергеевна", "birth_date": "1990-05-06"}


async def exported(api, exam_id: str, headers: dict[str, str] | None = None) -> list[list[Any]]:
    response = await api.client.get(f"{API}/exams/{exam_id}/employees/export.xlsx", headers=headers or api.headers)
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


async def card_number(api, patient_id: str) -> str:
    response = await api.client.get(f"/api/patients/cards/{patient_id}", headers=api.headers)
    assert response.status_code == 200
    return response.json()["card_number"]  # type: ignore[no-any-return]


async def test_an_employee_added_by_hand_is_exported_with_the_card_number(api) -> None:
    exam = await api.exam()
    employee = await api.post(f"/exams/{exam['id']}/employees", {"patient": PATIENT})
    number = await card_number(api, employee["patient_id"])
    assert employee["card_number"] == number
    rows = await exported(api, exam["id"])
    assert rows[0][11] == "Номер карты"
    assert rows[1][11] == number and employee["patient_id"] not in {str(v) for v in rows[1]}


async def test_imported_employees_get_their_card_numbers_at_the_first_export_and_keep_them(api) -> None:
    exam = await api.exam()
    report = (await api.upload(exam["id"], employees_xlsx([employee_row(0), employee_row(1)]))).json()
    assert report["imported"] == 2
    # /cards/batch answers ids only: the numbers are not known yet ...
    assert [e["card_number"] for e in await api.employees(exam["id"])] == [None, None]
    rows = await exported(api, exam["id"])
    employees = await api.employees(exam["id"])
    expected = {e["last_name"]: await card_number(api, e["patient_id"]) for e in employees}
    assert {row[0]: row[11] for row in rows[1:]} == expected
    # ... and are kept once learnt.
    assert {e["last_name"]: e["card_number"] for e in employees} == expected


async def test_without_patients_read_the_export_still_works_with_empty_card_numbers(platform: Platform, api) -> None:
    exam = await api.exam()
    await api.upload(exam["id"], employees_xlsx([employee_row(0)]))
    reader = await platform.headers_with(["profexam.read"])
    rows = await exported(api, exam["id"], headers=reader)
    assert rows[1][0] == employee_row(0)[0] and rows[1][11] is None
    # Someone allowed to read cards exports later: the number is filled then.
    rows = await exported(api, exam["id"])
    assert rows[1][11] == await card_number(api, (await api.employees(exam["id"]))[0]["patient_id"])


async def test_a_card_change_brings_the_card_number_to_imported_rows(api) -> None:
    exam = await api.exam()
    await api.upload(exam["id"], employees_xlsx([employee_row(0)]))
    employee = (await api.employees(exam["id"]))[0]
    assert employee["card_number"] is None
    response = await api.client.patch(
        f"/api/patients/cards/{employee['patient_id']}",
        json={"last_name": "Кузнецов"},
        headers={**api.headers, "If-Match": "*"},
    )
    assert response.status_code == 200
    for _ in range(100):
        employee = (await api.employees(exam["id"]))[0]
        if employee["last_name"] == "Кузнецов":
            break
        await asyncio.sleep(0.1)
    assert employee["card_number"] == response.json()["card_number"]
