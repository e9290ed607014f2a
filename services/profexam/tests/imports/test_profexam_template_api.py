"""The import template and the export of an exam's list (PRO-6)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from profexam_builders import employee_row, employees_xlsx

API = "/api/profexam"


async def test_the_template_has_the_header_and_a_help_sheet_for_every_column_and_code(api) -> None:
    response = await api.client.get(f"{API}/import-template.xlsx", headers=api.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/vnd.openxml")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Сотрудники", "Справка"]
    header = [c.value for c in next(workbook["Сотрудники"].iter_rows(max_row=1))]
    assert header[:4] == ["Фамилия", "Имя", "Отчество", "Дата рождения"] and len(header) == 11
    help_text = " ".join(str(c.value) for row in workbook["Справка"].iter_rows() for c in row if c.value is not None)
    for expected in ("ДД.ММ.ГГГГ", "-1", "предварительный", "периодический", "31", "34", "подкласс", "29н"):
        assert expected in help_text


async def test_an_exported_list_imports_back_as_already_in_exam(api) -> None:
    exam = await api.exam()
    rows = [employee_row(0, sex="ж", working_conditions=33, harmful_factors="1.10; 4.2.5", exam_type=0)]
    await api.upload(exam["id"], employees_xlsx(rows))
    response = await api.client.get(f"{API}/exams/{exam['id']}/employees/export.xlsx", headers=api.headers)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [c.value for c in next(iter(sheet.iter_rows(min_row=2, max_row=2)))]
    assert exported[4] == "ж" and exported[8] == "1.10; 4.2.5" and exported[9] == 0 and exported[10] == 33
    report = (await api.upload(exam["id"], response.content)).json()
    assert (report["status"], report["already_in_exam"], report["imported"]) == ("imported", 1, 0)
