"""Phones typed without a country code take CLINIC_PHONE_REGION, in profexam as in patients."""

from __future__ import annotations

import pytest
from profexam_builders import employee_row, employees_xlsx

API = "/api/profexam"
PATIENT = {"last_name": "Шмидт", "first_name": "Анна", "birth_date": "1990-05-06"}


@pytest.fixture
def platform_services(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # Set before the platform starts: every service reads its settings from the environment then.
    monkeypatch.setenv("CLINIC_PHONE_REGION", "DE")
    return ["patients", "profexam"]


async def test_a_local_number_is_read_in_the_configured_region(api) -> None:
    exam = await api.exam()
    employee = await api.post(
        f"/exams/{exam['id']}/employees", {"patient": {**PATIENT, "mobile_phone": "030 12345678"}}
    )
    assert employee["phone"] == "493012345678"
    card = await api.client.get(f"/api/patients/cards/{employee['patient_id']}", headers=api.headers)
    assert card.json()["mobile_phone"] == "493012345678"
    rows = [
        employee_row(0, phone="030 12345678"),
        employee_row(1, phone="+7 843 555 12 12"),
        employee_row(2, phone="12"),
    ]
    report = (await api.upload(exam["id"], employees_xlsx(rows), accept_partial=True)).json()
    assert report["imported"] == 2 and [(r["row"], r["column"]) for r in report["rejected"]] == [(4, "F")]
    imported = [e for e in await api.employees(exam["id"]) if e["source"] == "import"]
    assert sorted(e["phone"] for e in imported) == ["493012345678", "78435551212"]
