"""«Профосмотр» (PRO-1…8): an employees' workbook with two bad rows is checked (a dry run lists each
bad row by row and column), then only its good rows are imported and listed in the exam; and
accessibility of the screen with its import window. Each test makes its own organisation and exam."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from admin_profexam_steps import create_exam, employees_workbook, open_exam, unique
from conftest import axe_violations, log_in, new_page, screenshot
from openpyxl import load_workbook
from playwright.sync_api import expect


def test_an_excel_list_with_two_bad_rows_is_checked_and_only_its_good_rows_imported(
    signed_in: Any, api: Any, tmp_path: Path
) -> None:
    made = create_exam(api)
    organization, exam = made["organization"], made["exam"]
    family = f"Импортов{unique()}"
    good = [
        [family, "Иван", "Петрович", dt.date(1980, 5, 17), "м", "", "Слесарь", "Цех 1", "", 1, 2],
        [family, "Мария", "Сергеевна", "03.02.1991", "ж", "", "Бухгалтер", "Контора", "", 0, ""],
        [family, "Олег", "Ильич", "1975-11-30", "", "", "Водитель", "Гараж", "", "", ""],
    ]
    bad_date = [family, "Пётр", "Ильич", "31.02.1990", "м", "", "Сварщик", "Цех 2", "", 1, ""]  # row 5, column D
    bad_conditions = [family, "Анна", "Павловна", "12.12.1985", "ж", "", "Маляр", "Цех 2", "", 1, 9]  # row 6, column K
    workbook = employees_workbook(tmp_path / "employees.xlsx", [*good, bad_date, bad_conditions])

    page = signed_in
    open_exam(page, organization["name"], exam["name"])
    page.get_by_role("button", name="Импорт из Excel").click()
    dialog = page.get_by_role("dialog", name="Импорт списка сотрудников из таблицы Excel")
    dialog.get_by_label("Файл Excel (.xlsx)").set_input_files(str(workbook))
    expect(dialog.get_by_label("Фамилия")).to_have_value("A")
    dialog.get_by_role("button", name="Проверить").click()

    bad_rows = dialog.get_by_role("table", name="Строки с ошибками")
    expect(bad_rows.get_by_role("row")).to_have_count(3)  # the header and two bad rows
    expect(bad_rows.get_by_role("row").nth(1).get_by_role("cell").nth(0)).to_have_text("5")
    expect(bad_rows.get_by_role("row").nth(1).get_by_role("cell").nth(1)).to_have_text("D")
    expect(bad_rows.get_by_role("row").nth(2).get_by_role("cell").nth(0)).to_have_text("6")
    expect(bad_rows.get_by_role("row").nth(2).get_by_role("cell").nth(1)).to_have_text("K")
    expect(dialog.get_by_role("status").first).to_contain_text("верных: 3; с ошибками: 2")
    # All or nothing is not possible with bad rows; the good ones can go in.
    expect(dialog.get_by_role("button", name="Импортировать", exact=True)).to_be_disabled()
    screenshot(page, "admin_profexam_import_dry_run")

    dialog.get_by_role("button", name="Импортировать только верные строки").click()
    expect(dialog.get_by_text("Загружено сотрудников: 3")).to_be_visible()
    dialog.get_by_role("button", name="Закрыть").click()

    employees = page.get_by_role("table", name="Сотрудники: 3")
    for first_name in ("Иван", "Мария", "Олег"):
        expect(employees.get_by_role("row", name=f"{family} {first_name}")).to_have_count(1)
    expect(employees.get_by_text("Пётр")).to_have_count(0)
    expect(employees.get_by_text("Анна")).to_have_count(0)
    listed = api.get(f"/api/profexam/exams/{exam['id']}/employees").json()
    assert sorted(e["first_name"] for e in listed["items"]) == ["Иван", "Мария", "Олег"]
    screenshot(page, "admin_profexam_employees")


def test_the_profexam_screens_have_no_serious_accessibility_violations(
    browser: Any, web_platform: Any, api: Any
) -> None:
    made = create_exam(api)
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        open_exam(page, made["organization"]["name"], made["exam"]["name"])
        assert axe_violations(page) == []
        page.get_by_role("tab", name="Договоры").click()
        page.get_by_role("table", name="Договоры").wait_for()
        assert axe_violations(page) == []
        page.get_by_role("tab", name="Вредные факторы").click()
        page.get_by_role("table", name="Коды вредных факторов организации").wait_for()
        assert axe_violations(page) == []
        page.get_by_role("tab", name="Профосмотры").click()
        page.get_by_role("button", name=f"Открыть «{made['exam']['name']}»").click()
        page.get_by_role("button", name="Импорт из Excel").click()
        dialog = page.get_by_role("dialog", name="Импорт списка сотрудников из таблицы Excel")
        dialog.get_by_role("button", name="Подсказка: Вид профосмотра").click()
        expect(dialog.get_by_text("0 — предварительный")).to_be_visible()
        screenshot(page, "admin_profexam_import_help")
        dialog.get_by_role("button", name="Подсказка: Вид профосмотра").click()
        dialog.get_by_role("button", name="Подсказка: Столбцы таблицы Excel").click()
        expect(dialog.get_by_text("в столбце А, то у фамилии должно стоять значение А")).to_be_visible()
        assert axe_violations(page) == []
        screenshot(page, "admin_profexam_import_window")
    finally:
        page.context.close()


def test_an_unknown_harmful_factor_code_is_mapped_and_the_whole_file_then_imported(
    signed_in: Any, api: Any, tmp_path: Path
) -> None:
    made = create_exam(api)
    organization, exam = made["organization"], made["exam"]
    family = f"Факторов{unique()}"
    workbook = employees_workbook(
        tmp_path / "factors.xlsx",
        [
            [family, "Степан", "Ильич", "01.04.1970", "м", "", "Маляр", "Цех 3", "99.99", 1, 31],
            [family, "Юлия", "Олеговна", "09.09.1992", "ж", "", "Лаборант", "Цех 3", "1.1", 1, ""],
        ],
    )
    page = signed_in
    open_exam(page, organization["name"], exam["name"])
    page.get_by_role("button", name="Импорт из Excel").click()
    dialog = page.get_by_role("dialog", name="Импорт списка сотрудников из таблицы Excel")
    dialog.get_by_label("Файл Excel (.xlsx)").set_input_files(str(workbook))
    dialog.get_by_role("button", name="Проверить").click()

    recognize = dialog.get_by_role("region", name="Распознать вредные факторы")
    expect(recognize.get_by_role("row", name="99.99")).to_contain_text("2")  # the code and the row it is on
    recognize.get_by_label("Код из справочника для «99.99»").fill("1.2")
    screenshot(page, "admin_profexam_recognize_factors")
    recognize.get_by_role("button", name="Сохранить и проверить снова").click()

    expect(dialog.get_by_role("status").first).to_contain_text("верных: 2; с ошибками: 0")
    expect(recognize).to_have_count(0)
    dialog.get_by_role("button", name="Импортировать", exact=True).click()
    expect(dialog.get_by_text("Загружено сотрудников: 2")).to_be_visible()
    dialog.get_by_role("button", name="Закрыть").click()
    expect(page.get_by_role("row", name=f"{family} Степан")).to_contain_text("1.2")
    mappings = api.get(f"/api/profexam/organizations/{organization['id']}/factor-mappings").json()["items"]
    assert [(m["source_code"], m["factor_code"]) for m in mappings] == [("99.99", "1.2")]


def test_an_employee_typed_in_gets_a_card_and_is_listed_in_the_exam(signed_in: Any, api: Any) -> None:
    made = create_exam(api)
    family = f"Ручнов{unique()}"
    page = signed_in
    open_exam(page, made["organization"]["name"], made["exam"]["name"])
    page.get_by_role("button", name="Добавить сотрудника").click()
    dialog = page.get_by_role("dialog", name="Карта пациента")
    dialog.get_by_label("Фамилия").fill(family)
    dialog.get_by_label("Имя", exact=True).fill("Глеб")
    dialog.get_by_label("Отчество").fill("Андреевич")
    dialog.get_by_label("Дата рождения").fill("1988-07-21")
    dialog.get_by_label("Должность").fill("Электрик")
    dialog.get_by_label("Условия труда").select_option(label="Класс 3.2")
    dialog.get_by_label("Вредные факторы").fill("1.1; 1.2")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(dialog).to_have_count(0)
    row = page.get_by_role("row", name=f"{family} Глеб Андреевич")
    expect(row).to_contain_text("21.07.1988")
    expect(row).to_contain_text("Класс 3.2")
    expect(row).to_contain_text("1.1; 1.2")
    cards = api.get("/api/patients/cards", params={"q": family}).json()["items"]
    assert [c["first_name"] for c in cards] == ["Глеб"]
    expect(row.get_by_role("cell").first).to_have_text(cards[0]["card_number"])


def test_the_exams_list_is_exported_to_excel(signed_in: Any, api: Any, tmp_path: Path) -> None:
    made = create_exam(api)
    family = f"Экспортов{unique()}"
    added = api.post(
        f"/api/profexam/exams/{made['exam']['id']}/employees",
        json={
            "exam_type": 0,
            "position": "Кладовщик",
            "patient": {"last_name": family, "first_name": "Нина", "birth_date": "1979-01-02"},
        },
    )
    assert added.status_code == 201, added.text
    page = signed_in
    open_exam(page, made["organization"]["name"], made["exam"]["name"])
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Экспорт в Excel").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path, read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    person = next(row for row in rows if row[0] == family)
    assert person[1] == "Нина"
    assert person[6] == "Кладовщик"


def test_an_employee_is_removed_from_the_exam_after_a_question(signed_in: Any, api: Any) -> None:
    made = create_exam(api)
    family = f"Исключенов{unique()}"
    added = api.post(
        f"/api/profexam/exams/{made['exam']['id']}/employees",
        json={"exam_type": 1, "patient": {"last_name": family, "first_name": "Тимур", "birth_date": "1990-10-10"}},
    )
    assert added.status_code == 201, added.text
    page = signed_in
    open_exam(page, made["organization"]["name"], made["exam"]["name"])
    page.get_by_role("button", name=f"Исключить {family} Тимур из профосмотра").click()
    dialog = page.get_by_role("dialog", name="Исключение из профосмотра")
    expect(dialog).to_contain_text("Карта пациента останется в архиве")
    dialog.get_by_role("button", name="Исключить").click()
    expect(page.get_by_role("table", name="Сотрудники: 0")).to_be_visible()
    assert api.get(f"/api/profexam/exams/{made['exam']['id']}/employees").json()["total"] == 0
