"""The appointment's card: status and «Движение пациента» (SCH-8), «Журнал изменений» (SCH-10),
«Удалить» with «Причина удаления» (SCH-6), the slip (SCH-14), phone and WhatsApp (SCH-17)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from appointment_steps import (
    MIKHAILOVA,
    PETROVA,
    SOKOLOV,
    VASILIEV,
    appointment,
    at,
    book,
    deletion_reason,
    next_weekday,
    open_appointment,
    status_named,
)
from conftest import axe_violations, log_in, new_page
from playwright.sync_api import expect


def test_a_status_change_shows_in_the_patient_movement_and_the_journal(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, SOKOLOV, next_weekday(api), "09:00")
    open_appointment(page, booked["id"])
    page.get_by_label("Статус", exact=True).select_option(label="Пришёл")
    page.get_by_role("button", name="Применить").click()

    movement = page.get_by_role("table", name="Движение пациента")
    movement.get_by_role("cell", name="Пришёл").wait_for()
    assert "admin" in movement.inner_text()
    journal = page.get_by_role("table", name="Журнал изменений")
    row = journal.get_by_role("row").filter(has_text="Смена статуса")
    row.wait_for()
    assert re.search(r"Статус: .+ → Пришёл", row.inner_text())
    assert appointment(api, booked["id"])["status_id"] == status_named(api, "Пришёл")["id"]


def test_the_journal_shows_a_move_made_through_the_api_on_the_clinic_clock(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    day = next_weekday(api)
    booked = book(api, SOKOLOV, day, "10:00")
    moved = api.patch(
        f"/api/scheduling/appointments/{booked['id']}",
        json={"start": at(api, day, "11:00"), "end": at(api, day, "11:30")},
        headers={"If-Match": f'"{booked["version"]}"'},
    )
    assert moved.status_code == 200, moved.text

    open_appointment(page, booked["id"])
    row = page.get_by_role("table", name="Журнал изменений").get_by_role("row").filter(has_text="Перенос")
    shown = row.inner_text()
    date = day.strftime("%d.%m.%Y")
    assert f"Начало: {date} 10:00 → {date} 11:00" in shown  # Moscow's clock, not the browser's UTC+5
    assert "admin" in shown


def test_deleting_asks_for_a_reason_and_moves_the_appointment_to_the_trash(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, VASILIEV, next_weekday(api), "09:00")
    reason = deletion_reason(api)
    open_appointment(page, booked["id"])
    page.get_by_role("button", name="Удалить", exact=True).click()
    page.get_by_label("Причина удаления").select_option(label=reason["name"])
    page.get_by_label("Комментарий пациента").fill("Уезжаю в командировку")
    page.get_by_role("button", name="Удалить запись").click()
    page.get_by_text("Запись перемещена в корзину").first.wait_for()

    stored = appointment(api, booked["id"])
    assert stored["deleted"] is True
    assert stored["deletion_reason"] == reason["name"]
    assert stored["deletion_comment"] == "Уезжаю в командировку"


def test_the_card_shows_the_phone_with_its_country_code_and_a_whatsapp_link(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, PETROVA, next_weekday(api), "09:00")
    open_appointment(page, booked["id"])
    assert page.get_by_text("+79161234567").is_visible()
    link = page.get_by_role("link", name="Перейти в чат WhatsApp")
    assert link.get_attribute("href") == "https://wa.me/79161234567"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Копировать телефон").click()
    page.get_by_text("Телефон +79161234567 скопирован").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == "+79161234567"


def test_printing_loads_the_slip_with_the_session(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, PETROVA, next_weekday(api), "10:00")
    open_appointment(page, booked["id"])
    page.get_by_role("button", name="Печать").click()
    # the slip is printed from a hidden frame: it is there, with the patient, though not on screen
    slip = page.frame_locator("iframe[title^='Талон']")
    patient = slip.get_by_text(booked["last_name"]).first
    patient.wait_for(state="attached")
    assert booked["last_name"] in (patient.text_content() or "")


def test_the_open_appointment_panel_has_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    booked = book(api, MIKHAILOVA, next_weekday(api), "09:00")
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        open_appointment(page, booked["id"])
        page.get_by_role("button", name="Удалить", exact=True).click()
        page.get_by_label("Причина удаления").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_a_card_is_created_from_a_primary_patients_appointment_and_linked(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, PETROVA, next_weekday(api), "14:00")
    open_appointment(page, booked["id"])
    page.get_by_role("button", name="Привязать карту").click()
    page.get_by_role("button", name="Создать карту из записи").click()
    page.get_by_text("Карта привязана к записи").first.wait_for()

    linked = appointment(api, booked["id"])
    assert linked["patient_id"] and not linked["is_primary"]
    page.get_by_role("link", name=booked["patient_name"]).wait_for()  # the name now opens the card
    expect(page.get_by_role("button", name="Привязать карту")).to_have_count(0)


def test_an_appointment_is_moved_to_the_waiting_list(signed_in: Any, api: httpx.Client) -> None:
    page = signed_in
    booked = book(api, PETROVA, next_weekday(api), "15:00")
    open_appointment(page, booked["id"])
    page.get_by_role("button", name="В лист ожидания").click()
    form = page.get_by_role("form", name="Переместить в лист ожидания")
    form.get_by_label("Время с").fill("10:00")
    form.get_by_label("Время по").fill("13:00")
    form.get_by_role("button", name="Переместить в лист ожидания").click()
    page.get_by_text("Запись перемещена в лист ожидания").first.wait_for()

    assert appointment(api, booked["id"])["deleted"] is True
    entries = api.get("/api/scheduling/waitlist", params={"limit": 500}).json()["items"]
    entry = next(e for e in entries if e["source_appointment_id"] == booked["id"])
    assert entry["wished_date"] is None and entry["wished_time_from"].startswith("10:00")


def test_a_change_made_meanwhile_by_someone_else_is_reported_and_the_card_reloaded(
    signed_in: Any, api: httpx.Client
) -> None:
    page = signed_in
    booked = book(api, VASILIEV, next_weekday(api), "14:00")
    # Without live updates the card keeps its version until the change is refused (else the
    # stream could refresh it first, and there would be nothing to refuse).
    page.route("**/api/events/stream", lambda route: route.abort())
    open_appointment(page, booked["id"])
    other = api.patch(
        f"/api/scheduling/appointments/{booked['id']}",
        json={"note": "Изменено в другом окне"},
        headers={"If-Match": f'"{booked["version"]}"'},
    )
    assert other.status_code == 200, other.text

    page.get_by_label("Статус", exact=True).select_option(label="Подтверждён")
    page.get_by_role("button", name="Применить").click()
    page.get_by_text("Запись только что изменил другой пользователь").first.wait_for()
    page.get_by_text("Изменено в другом окне").first.wait_for()  # the card shows the other change
    assert appointment(api, booked["id"])["status_id"] != status_named(api, "Подтверждён")["id"]
