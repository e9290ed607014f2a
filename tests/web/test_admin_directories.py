"""«Справочники» (SCH-1): the generic list/edit screen of the scheduling directories."""

from __future__ import annotations

import re
import uuid
from typing import Any

from conftest import axe_violations, log_in, new_page, screenshot


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def open_directory(page: Any, title: str) -> None:
    page.goto("/admin/directories")
    page.get_by_role("navigation", name="Список справочников").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def row_of(page: Any, text: str) -> Any:
    return page.get_by_role("row").filter(has_text=text)


def test_a_new_doctor_is_listed_with_his_specialization(signed_in: Any, api: Any) -> None:
    surname = unique("Тестов")
    specialization = api.get("/api/scheduling/specializations", params={"active": True, "limit": 1}).json()["items"][0]
    open_directory(signed_in, "Врачи")
    signed_in.get_by_role("button", name="Добавить").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_label("Фамилия").fill(surname)
    dialog.get_by_label("Имя").fill("Пётр")
    dialog.get_by_label("Отчество").fill("Ильич")
    dialog.get_by_role("group", name="Специализации").get_by_label(specialization["name"], exact=True).check()
    dialog.get_by_label("Телефон").fill("+7 900 123-45-67")
    dialog.get_by_label("Онлайн-запись").check()
    screenshot(signed_in, "admin_directories_doctor_form")
    dialog.get_by_role("button", name="Сохранить").click()
    dialog.wait_for(state="detached")
    row = row_of(signed_in, surname)
    row.wait_for()
    assert f"{surname} Пётр Ильич" in row.inner_text()
    assert specialization["name"] in row.inner_text()
    screenshot(signed_in, "admin_directories_doctors")


def test_an_empty_required_name_is_refused_next_to_its_field(signed_in: Any) -> None:
    open_directory(signed_in, "Специализации")
    signed_in.get_by_role("button", name="Добавить").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_role("button", name="Сохранить").click()
    name = dialog.get_by_label("Наименование")
    signed_in.wait_for_function("() => document.querySelector('dialog [aria-invalid=true]') !== null")
    assert name.get_attribute("aria-invalid") == "true"
    error = signed_in.locator(f"#{name.get_attribute('aria-describedby')}")
    assert re.search("[а-яё]", error.inner_text(), re.IGNORECASE), error.inner_text()  # the API's Russian message
    screenshot(signed_in, "admin_directories_required_name")


def test_deleting_a_specialization_used_by_a_doctor_shows_the_api_refusal(signed_in: Any, api: Any) -> None:
    name = unique("Используемая ")
    specialization = api.post("/api/scheduling/specializations", json={"name": name}).json()
    api.post(
        "/api/scheduling/doctors",
        json={"last_name": unique("Занятов"), "first_name": "Иван", "specialization_ids": [specialization["id"]]},
    ).raise_for_status()
    open_directory(signed_in, "Специализации")
    signed_in.get_by_label("Поиск").fill(name)
    row_of(signed_in, name).get_by_role("button", name="Удалить").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_role("button", name="Удалить").click()
    refusal = dialog.get_by_role("alert")
    refusal.wait_for()
    expected = api.delete(f"/api/scheduling/specializations/{specialization['id']}")
    assert expected.status_code == 409
    assert expected.json()["detail"] in refusal.inner_text()
    screenshot(signed_in, "admin_directories_in_use")
    dialog.get_by_role("button", name="Закрыть", exact=True).last.click()
    assert row_of(signed_in, name).is_visible()


def test_an_appointment_status_is_saved_with_its_colour_and_processed_mark(signed_in: Any, api: Any) -> None:
    name = unique("Оплачено ")
    open_directory(signed_in, "Статусы записи на приём")
    signed_in.get_by_role("button", name="Добавить").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_label("Наименование").fill(name)
    dialog.get_by_label("Цвет").fill("#3366cc")
    dialog.get_by_label("Отметка «обработан»").check()
    dialog.get_by_role("button", name="Сохранить").click()
    dialog.wait_for(state="detached")
    row = row_of(signed_in, name)
    row.wait_for()
    assert "#3366cc" in row.inner_text().lower()
    statuses = api.get("/api/scheduling/appointment-statuses", params={"limit": 500}).json()["items"]
    saved = next(status for status in statuses if status["name"] == name)
    assert saved["colour"].lower() == "#3366cc"
    assert saved["sets_processed"] is True
    screenshot(signed_in, "admin_directories_statuses")


def test_renaming_an_item_updates_the_list(signed_in: Any, api: Any) -> None:
    old, new = unique("Старое "), unique("Новое ")
    api.post("/api/scheduling/appointment-kinds", json={"name": old}).raise_for_status()
    open_directory(signed_in, "Виды приема")
    row_of(signed_in, old).get_by_role("button", name="Изменить").click()
    dialog = signed_in.get_by_role("dialog")
    name = dialog.get_by_label("Наименование")
    signed_in.wait_for_function(
        "(old) => document.querySelector('dialog input')?.value === old", arg=old
    )  # the item's current version is loaded (its ETag goes in If-Match)
    name.fill(new)
    dialog.get_by_role("button", name="Сохранить").click()
    dialog.wait_for(state="detached")
    row_of(signed_in, new).wait_for()
    assert row_of(signed_in, old).count() == 0


def test_an_inactive_item_shows_only_with_the_inactive_toggle(signed_in: Any, api: Any) -> None:
    name = unique("Закрытый источник ")
    api.post("/api/scheduling/info-sources", json={"name": name, "active": False}).raise_for_status()
    open_directory(signed_in, "Источники информации")
    signed_in.get_by_role("row").nth(1).wait_for()
    assert row_of(signed_in, name).count() == 0
    signed_in.get_by_label("Показывать неактивные").check()
    row_of(signed_in, name).wait_for()
    assert "Нет" in row_of(signed_in, name).inner_text()


def test_the_directories_screen_and_its_form_have_no_serious_accessibility_violation(
    browser: Any, web_platform: Any
) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        open_directory(page, "Врачи")
        page.get_by_role("row").nth(1).wait_for()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Добавить").click()
        page.get_by_role("dialog").get_by_label("Фамилия").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
