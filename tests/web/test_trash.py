"""«Корзина» (SCH-6): deleted appointments with their reason, found and restored."""

from __future__ import annotations

from typing import Any

import httpx
from appointment_steps import (
    MIKHAILOVA,
    PETROVA,
    VASILIEV,
    appointment,
    book,
    delete,
    deletion_reason,
    doctor,
    next_weekday,
    short_name,
)
from conftest import axe_violations, log_in, new_page


def find_in_trash(page: Any, last_name: str) -> Any:
    """The trash searched by the patient's name: the row of the appointment."""
    page.goto("/trash")
    page.get_by_role("heading", name="Корзина").wait_for()
    page.get_by_role("search").get_by_label("Пациент").fill(last_name)
    page.get_by_role("button", name="Найти").click()
    row = page.get_by_role("table", name="Корзина").get_by_role("row").filter(has_text=last_name)
    row.wait_for()
    return row


def test_a_deleted_appointment_is_listed_with_its_reason_and_restored_to_its_slot(
    signed_in: Any, api: httpx.Client
) -> None:
    page = signed_in
    booked = book(api, VASILIEV, next_weekday(api), "10:00")
    reason = deletion_reason(api)
    delete(api, booked, reason["name"])

    row = find_in_trash(page, booked["last_name"])
    shown = row.inner_text()
    assert reason["name"] in shown
    assert "admin" in shown
    assert f"{next_weekday(api).strftime('%d.%m.%Y')} 10:00" in shown  # the clinic's clock

    row.get_by_role("button", name="Восстановить", exact=True).click()
    page.get_by_text(f"Запись восстановлена: {booked['patient_name']}").wait_for()
    restored = appointment(api, booked["id"])
    assert restored["deleted"] is False
    assert restored["start"] == booked["start"] and restored["doctor_id"] == booked["doctor_id"]


def test_a_deleted_appointment_is_restored_to_another_doctor_and_time(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    day = next_weekday(api)
    booked = book(api, VASILIEV, day, "11:00")
    delete(api, booked, deletion_reason(api)["name"])
    petrova = doctor(api, PETROVA)

    row = find_in_trash(page, booked["last_name"])
    row.get_by_role("button", name="Восстановить в другое время").click()
    form = page.get_by_role("dialog")
    form.get_by_label("Врач").select_option(label=short_name(petrova))
    form.get_by_label("Дата").fill(day.isoformat())
    form.get_by_label("Время").fill("11:30")
    form.get_by_role("button", name="Восстановить").click()
    page.get_by_text(f"Запись восстановлена: {booked['patient_name']}").wait_for()

    restored = appointment(api, booked["id"])
    assert restored["deleted"] is False
    assert restored["doctor_id"] == petrova["id"]
    assert restored["start"].startswith(f"{day.isoformat()}T11:30:00")


def test_a_restore_into_a_taken_slot_is_refused_with_the_reason(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    day = next_weekday(api)
    booked = book(api, MIKHAILOVA, day, "10:00")
    delete(api, booked, deletion_reason(api)["name"])
    book(api, MIKHAILOVA, day, "10:00")  # someone else took the slot meanwhile

    row = find_in_trash(page, booked["last_name"])
    row.get_by_role("button", name="Восстановить", exact=True).click()
    refusal = page.get_by_role("alert").filter(has_text="Не удалось восстановить запись")
    refusal.wait_for()
    assert booked["patient_name"] in refusal.inner_text()
    assert appointment(api, booked["id"])["deleted"] is True


def test_a_trash_row_opens_the_deleted_appointment_card(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, MIKHAILOVA, next_weekday(api), "11:00")
    reason = deletion_reason(api)
    delete(api, booked, reason["name"])

    row = find_in_trash(page, booked["last_name"])
    row.get_by_role("button", name=booked["patient_name"]).click()
    card = page.get_by_role("dialog", name=f"{booked['patient_name']}, {next_weekday(api).strftime('%d.%m.%Y')} 11:00")
    card.get_by_text(f"Причина удаления: {reason['name']}").wait_for()
    assert card.get_by_role("button", name="Удалить", exact=True).count() == 0  # already deleted


def test_the_trash_and_the_open_panel_have_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    booked = book(api, MIKHAILOVA, next_weekday(api), "12:00")
    delete(api, booked, deletion_reason(api)["name"])
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        row = find_in_trash(page, booked["last_name"])
        assert axe_violations(page) == []
        row.get_by_role("button", name=booked["patient_name"]).click()
        page.get_by_role("dialog").get_by_role("heading", name="Журнал изменений").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
