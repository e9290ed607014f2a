"""Calculations: planned positions, prices, a sheet import, employees from a calculation (PRO-5)."""

from __future__ import annotations

import json

import pytest
from profexam_builders import XLSX_HEADERLESS, calculation_xlsx, employee_row, employees_xlsx

API = "/api/profexam"
POSITIONS = [
    {"position": "Слесарь", "department": "Цех 1", "headcount": 2, "harmful_factor_codes": ["4.4"], "price": "1500.50"},
    {"position": "Бухгалтер", "headcount": 1, "harmful_factor_codes": [], "price": 900},
]
# Tests that need no patient card start profexam alone (faster).
PROFEXAM_ONLY = pytest.mark.parametrize("platform_services", [["profexam"]])
PATIENT = {"last_name": "Орлов", "first_name": "Олег", "birth_date": "1970-07-07"}


@PROFEXAM_ONLY
async def test_a_calculation_totals_price_times_headcount(api) -> None:
    exam = await api.exam()
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"name": "2026", "positions": POSITIONS})
    assert calculation["total_price"] == "3901.00"
    assert [p["line_total"] for p in calculation["positions"]] == ["3001.00", "900.00"]
    listed = await api.get(f"/exams/{exam['id']}/calculations")
    assert [c["id"] for c in listed["items"]] == [calculation["id"]]


@PROFEXAM_ONLY
async def test_a_calculation_with_an_unknown_factor_or_no_headcount_is_422(api) -> None:
    exam = await api.exam()
    bad = [{**POSITIONS[0], "harmful_factor_codes": ["55.5"]}]
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/calculations", json={"positions": bad}, headers=api.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "positions.0.harmful_factor_codes"
    bad = [{**POSITIONS[0], "headcount": 0}]
    response = await api.client.post(
        f"{API}/exams/{exam['id']}/calculations", json={"positions": bad}, headers=api.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "positions.0.headcount"


@PROFEXAM_ONLY
async def test_a_calculation_is_imported_from_a_sheet_and_bad_rows_are_reported(api) -> None:
    exam = await api.exam()
    rows = [
        ["Слесарь", "Цех 1", 3, "4.4; п.1.1", "1 200,00"],
        ["Маляр", None, "два", "1.1", 100],
        ["Токарь", None, 1, None, None],
    ]
    files = {"file": ("calc.xlsx", calculation_xlsx(rows), XLSX_HEADERLESS)}
    url = f"{API}/exams/{exam['id']}/calculations/imports"
    rejected = (await api.client.post(url, files=files, headers=api.headers)).json()
    assert rejected["status"] == "rejected" and rejected["calculation"] is None
    assert [(r["row"], r["column"], r["value"]) for r in rejected["rejected"]] == [(3, "C", "два")]
    response = await api.client.post(
        url,
        files=files,
        data={"mapping": json.dumps({"name": "Из файла"})},
        params={"accept_partial": "true"},
        headers=api.headers,
    )
    calculation = response.json()["calculation"]
    assert calculation["name"] == "Из файла" and calculation["total_price"] == "3600.00"
    assert [(p["position"], p["harmful_factor_codes"]) for p in calculation["positions"]] == [
        ("Слесарь", ["4.4", "1.1"]),
        ("Токарь", []),
    ]


async def test_employees_added_from_a_calculation_take_the_position_factors_within_the_headcount(api) -> None:
    exam = await api.exam()
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS})
    added = await api.post(
        f"/calculations/{calculation['id']}/employees",
        {"employees": [{"patient": PATIENT, "position": "бухгалтер", "harmful_factor_codes": ["1.1"]}]},
    )
    employee = added["items"][0]
    assert (employee["position"], employee["harmful_factor_codes"], employee["source"]) == (
        "Бухгалтер",
        ["1.1"],
        "calculation",
    )
    response = await api.client.post(
        f"{API}/calculations/{calculation['id']}/employees",
        json={"employees": [{"patient": {**PATIENT, "first_name": "Ольга"}, "position": "Бухгалтер"}]},
        headers=api.headers,
    )
    assert response.status_code == 409 and response.json()["conflicts"][0]["headcount"] == 1


async def test_an_import_with_a_calculation_fills_factors_from_the_positions(api) -> None:
    exam = await api.exam()
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS})
    rows = [employee_row(0, harmful_factors=None), employee_row(1, position="Дворник")]
    report = (
        await api.upload(
            exam["id"], employees_xlsx(rows), mapping={"calculation_id": calculation["id"]}, accept_partial=True
        )
    ).json()
    assert report["imported"] == 1 and report["rejected"][0]["reason"] == "the position is not in the calculation"
    assert (await api.employees(exam["id"]))[0]["harmful_factor_codes"] == ["4.4"]


async def test_employees_from_a_calculation_have_their_phones_checked_before_any_card_is_made(api) -> None:
    exam = await api.exam()
    calculation = await api.post(f"/exams/{exam['id']}/calculations", {"positions": POSITIONS})
    employees = [
        {"patient": {**PATIENT, "mobile_phone": "8 843 555 12 12"}, "position": "Слесарь", "department": "Цех 1"},
        {
            "patient": {**PATIENT, "first_name": "Ольга", "mobile_phone": "12"},
            "position": "Слесарь",
            "department": "Цех 1",
        },
    ]
    response = await api.client.post(
        f"{API}/calculations/{calculation['id']}/employees", json={"employees": employees}, headers=api.headers
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["employees.1.patient.mobile_phone"]
    cards = await api.client.get("/api/patients/cards", params={"q": "Орлов"}, headers=api.headers)
    assert cards.json()["total"] == 0
    added = await api.post(f"/calculations/{calculation['id']}/employees", {"employees": employees[:1]})
    assert added["items"][0]["phone"] == "78435551212"
