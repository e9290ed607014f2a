"""Importing employee lists through the gateway (PRO-3, PRO-4): reports, all-or-nothing, matching."""

from __future__ import annotations

from datetime import date, timedelta

from profexam_builders import employee_row, employee_rows, employees_xlsx

from clinic_shared.testing.platform import Platform

API = "/api/profexam"


async def test_an_import_creates_cards_and_employees_and_reports_them(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], employees_xlsx(employee_rows(3)))
    assert response.status_code == 200, response.text
    report = response.json()
    assert {k: report[k] for k in ("status", "total_rows", "imported", "cards_created", "cards_matched")} == {
        "status": "imported",
        "total_rows": 3,
        "imported": 3,
        "cards_created": 3,
        "cards_matched": 0,
    }
    employees = await api.employees(exam["id"])
    assert sorted(e["last_name"] for e in employees) == sorted(r[0] for r in employee_rows(3))
    assert {e["source"] for e in employees} == {"import"}
    cards = await api.client.get("/api/patients/cards", params={"q": employee_rows(1)[0][0]}, headers=api.headers)
    assert cards.json()["total"] == 1


async def test_importing_the_same_file_again_adds_nobody_twice(api) -> None:
    exam = await api.exam()
    content = employees_xlsx(employee_rows(3))
    await api.upload(exam["id"], content)
    report = (await api.upload(exam["id"], content)).json()
    assert (report["status"], report["imported"], report["already_in_exam"], report["cards_created"]) == (
        "imported",
        0,
        3,
        0,
    )
    assert len(await api.employees(exam["id"])) == 3


async def test_an_existing_card_is_matched_by_name_and_birth_date(api) -> None:
    exam = await api.exam()
    row = employee_row(0, last_name="Ёлкина", first_name="Мария", middle_name="Ивановна")
    card = await api.client.post(
        "/api/patients/cards",
        json={"last_name": "ЕЛКИНА", "first_name": "мария", "middle_name": "Ивановна", "birth_date": "1980-01-01"},
        headers=api.headers,
    )
    report = (await api.upload(exam["id"], employees_xlsx([row]))).json()
    assert (report["cards_matched"], report["cards_created"]) == (1, 0)
    assert (await api.employees(exam["id"]))[0]["patient_id"] == card.json()["id"]


async def test_a_file_with_a_bad_row_writes_nothing_and_reports_every_bad_cell(api) -> None:
    exam = await api.exam()
    rows = [employee_row(0), employee_row(1, birth_date="31.02.1990", working_conditions=35), employee_row(2)]
    response = await api.upload(exam["id"], employees_xlsx(rows))
    report = response.json()
    assert response.status_code == 200 and report["status"] == "rejected" and report["imported"] == 0
    assert report["rejected"] == [
        {"row": 3, "column": "D", "value": "31.02.1990", "reason": "is not a real calendar date"},
        {
            "row": 3,
            "column": "K",
            "value": "35",
            "reason": "unknown working conditions code: use 1, 2, 31, 32, 33, 34 or 4",
        },
    ]
    assert await api.employees(exam["id"]) == []
    cards = await api.client.get("/api/patients/cards", params={"q": "Сотрудник"}, headers=api.headers)
    assert cards.json()["total"] == 0


async def test_accept_partial_imports_the_good_rows_and_reports_the_rest(api) -> None:
    exam = await api.exam()
    rows = [employee_row(0), employee_row(1, exam_type=7), employee_row(2)]
    report = (await api.upload(exam["id"], employees_xlsx(rows), accept_partial=True)).json()
    assert (report["status"], report["imported"], [r["row"] for r in report["rejected"]]) == ("imported", 2, [3])
    assert len(await api.employees(exam["id"])) == 2


async def test_phones_are_normalised_and_a_bad_one_is_a_rejected_row_with_the_card_phone_message(api) -> None:
    exam = await api.exam()
    rows = [employee_row(0, phone="8 843 555 12 12"), employee_row(1, phone="12")]
    report = (await api.upload(exam["id"], employees_xlsx(rows), accept_partial=True)).json()
    assert (report["imported"], report["cards_created"]) == (1, 1)  # the bad row never reached patients
    card_refusal = await api.client.post(
        "/api/patients/cards",
        json={"last_name": "Проверка", "first_name": "Телефона", "mobile_phone": "12"},
        headers=api.headers,
    )
    assert card_refusal.status_code == 422
    card_error = card_refusal.json()["errors"][0]
    assert card_error["field"] == "mobile_phone"
    assert report["rejected"] == [{"row": 3, "column": "F", "value": "12", "reason": card_error["message"]}]
    employee = (await api.employees(exam["id"]))[0]
    assert employee["phone"] == "78435551212"
    card = await api.client.get(f"/api/patients/cards/{employee['patient_id']}", headers=api.headers)
    assert card.json()["mobile_phone"] == "78435551212"


async def test_a_card_patients_refuses_is_a_rejected_row_naming_the_phone_column(api) -> None:
    # PAT-2 on: a card needs a mobile phone or an e-mail; the row without a phone is refused by patients.
    response = await api.client.put(
        "/api/patients/settings", json={"required_fields_enabled": True}, headers={**api.headers, "If-Match": "*"}
    )
    assert response.status_code == 200, response.text
    exam = await api.exam()
    rows = [employee_row(0, phone="+7 922 123-45-67"), employee_row(1)]
    report = (await api.upload(exam["id"], employees_xlsx(rows), accept_partial=True)).json()
    assert report["imported"] == 1
    assert {(r["row"], r["column"]) for r in report["rejected"]} >= {(3, "F")}
    assert any("mobile_phone" in r["reason"] for r in report["rejected"])


async def test_a_dry_run_reports_and_writes_nothing(api) -> None:
    exam = await api.exam()
    report = (await api.upload(exam["id"], employees_xlsx(employee_rows(2)), dry_run=True)).json()
    assert (report["status"], report["imported"], report["cards_created"]) == ("dry_run", 2, 2)  # would be created
    assert await api.employees(exam["id"]) == []
    cards = await api.client.get("/api/patients/cards", params={"q": "Сотрудник"}, headers=api.headers)
    assert cards.json()["total"] == 0


async def test_an_expired_contract_refuses_the_import_before_the_file_is_read(api) -> None:
    exam = await api.exam(contract_valid_to=date.today() - timedelta(days=2))
    response = await api.upload(exam["id"], b"this is not even a workbook")
    assert response.status_code == 409
    assert "add a current contract" in response.json()["detail"]
    assert response.json()["conflicts"][0]["contract_id"] == exam["contract_id"]


async def test_unknown_factor_codes_are_listed_then_mapped_codes_apply_to_later_imports(api) -> None:
    exam = await api.exam()
    rows = [employee_row(0, harmful_factors="4.2.5; 77.1"), employee_row(1, harmful_factors="Шум")]
    first = (await api.upload(exam["id"], employees_xlsx(rows))).json()
    assert first["status"] == "rejected"
    assert first["unknown_factor_codes"] == [{"code": "77.1", "rows": [2]}, {"code": "шум", "rows": [3]}]
    for source, target in (("77.1", "1.1"), ("шум", "4.4")):
        await api.post(
            f"/organizations/{exam['organization_id']}/factor-mappings", {"source_code": source, "factor_code": target}
        )
    second = (await api.upload(exam["id"], employees_xlsx(rows))).json()
    assert (second["status"], second["imported"]) == ("imported", 2)
    codes = {e["last_name"]: e["harmful_factor_codes"] for e in await api.employees(exam["id"])}
    assert codes == {rows[0][0]: ["4.2.5", "1.1"], rows[1][0]: ["4.4"]}


async def test_sex_comes_from_the_patients_dictionary_of_endings(api) -> None:
    exam = await api.exam()
    ending = await api.client.post(
        "/api/patients/sex-endings", json={"ending": "зы", "sex": "female"}, headers=api.headers
    )
    assert ending.status_code == 201, ending.text
    rows = [employee_row(0, middle_name="Гюльзы"), employee_row(1, middle_name="Петровна", sex="м")]
    await api.upload(exam["id"], employees_xlsx(rows))
    assert {e["middle_name"]: e["sex"] for e in await api.employees(exam["id"])} == {
        "Гюльзы": "female",
        "Петровна": "male",
    }


async def test_importing_needs_the_import_right(platform: Platform, api) -> None:
    exam = await api.exam()
    headers = await platform.headers_with(["profexam.read", "profexam.write", "patients.read", "patients.write"])
    response = await api.upload(exam["id"], employees_xlsx(employee_rows(1)), headers=headers)
    assert response.status_code == 403 and "profexam.import" in response.json()["detail"]


async def test_a_custom_mapping_reads_another_layout(api) -> None:
    exam = await api.exam()
    content = employees_xlsx(
        [["№", "Иванов", "Иван", "05.03.1984", "Токарь"], ["итого", None, None, None, None]],
        header=["Список", None, None, None, None],
    )
    mapping = {
        "last_name": "B",
        "first_name": "C",
        "middle_name": None,
        "birth_date": "D",
        "sex": None,
        "phone": None,
        "position": "E",
        "department": None,
        "harmful_factors": None,
        "exam_type": None,
        "working_conditions": None,
        "first_row": 2,
        "last_row": 2,
    }
    report = (await api.upload(exam["id"], content, mapping=mapping)).json()
    assert (report["status"], report["total_rows"]) == ("imported", 1)
    employee = (await api.employees(exam["id"]))[0]
    assert (employee["last_name"], employee["position"], employee["exam_type"]) == ("Иванов", "Токарь", 1)
