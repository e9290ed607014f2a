"""«Рассылки» (NOT-1..8): a schedule and its template made in the screen send an SMS that lands in the
fake box with the rendered text; the template's live preview counts SMS parts; the delivery log
filters by status; a provider's secret is never shown back; and accessibility. Each test books with
an appointment status and a doctor of its own, so no other test's booking triggers its schedule."""

from __future__ import annotations

import re
from typing import Any

import httpx
from admin_mailings_steps import (
    book_with_status,
    create_schedule,
    delete_schedule,
    own_doctor_with_day,
    own_status,
    schedules_named,
    wait_for_message,
)
from admin_schedules_steps import suffix
from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect


def open_tab(page: Any, name: str) -> None:
    page.goto("/admin/mailings")
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def test_a_schedule_made_in_the_screen_sends_the_rendered_sms_to_the_fake_box(
    signed_in: Any, api: httpx.Client
) -> None:
    status = own_status(api)
    doctor, day = own_doctor_with_day(api, "Рассыльный")
    name = f"Сразу после записи {suffix()}"
    open_tab(signed_in, "График рассылки")
    signed_in.get_by_role("button", name="Добавить").click()
    dialog = signed_in.get_by_role("dialog", name="Задача отправки SMS сообщений")
    dialog.get_by_label("Название", exact=True).fill(name)
    dialog.get_by_label("Тип задачи", exact=True).select_option(label="Минут после смены статуса записи на приём на…")
    dialog.get_by_label("Минут после смены статуса", exact=True).fill("0")
    dialog.get_by_label("Статус записи на приём", exact=True).select_option(status["id"])
    dialog.get_by_label("Текст сообщения", exact=True).fill("Здравствуйте, ")
    dialog.get_by_role("button", name=re.compile(r"^Вставить %Name1%")).click()
    dialog.get_by_label("Текст сообщения", exact=True).press("End")
    dialog.get_by_label("Текст сообщения", exact=True).type("! Ждём вас %Date% в %Time%.")
    expect(dialog.get_by_role("figure", name="Текст сообщения с примером")).to_have_text(
        "Здравствуйте, Иван! Ждём вас 15.03.2027 в 10:30."
    )
    screenshot(signed_in, "admin_mailings_schedule_dialog")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(dialog).to_be_hidden()
    expect(signed_in.get_by_role("row", name=re.compile(re.escape(name)))).to_contain_text("Минут после смены статуса")
    [schedule] = schedules_named(api, name)
    try:
        assert (schedule["type"], schedule["minutes"], schedule["status_id"]) == (
            "after_status_change",
            0,
            status["id"],
        )
        first = f"Смс{suffix()}".capitalize()
        appointment = book_with_status(
            api,
            doctor,
            day,
            "10:00",
            status,
            {"last_name": "Получатель", "first_name": first, "mobile_phone": "+7 916 555-01-02"},
        )
        wait_for_message(api, appointment["id"], ("sent",))
        open_tab(signed_in, "Тестовые ящики")
        sms = signed_in.get_by_role("table", name="Отправленные SMS")
        row = sms.get_by_role("row", name=re.compile(re.escape(first)))
        date = day.strftime("%d.%m.%Y")
        expect(row).to_contain_text(f"Здравствуйте, {first}! Ждём вас {date} в 10:00.")
        expect(row).to_contain_text("9165550102")
        screenshot(signed_in, "admin_mailings_fake_box")
    finally:
        delete_schedule(api, schedule["id"])


def test_the_template_preview_counts_sms_parts_as_the_text_grows(signed_in: Any) -> None:
    open_tab(signed_in, "График рассылки")
    signed_in.get_by_role("button", name="Добавить").click()
    dialog = signed_in.get_by_role("dialog", name="Задача отправки SMS сообщений")
    text = dialog.get_by_label("Текст сообщения", exact=True)
    size = dialog.get_by_role("status")
    text.fill("Hello %Name1%")
    expect(dialog.get_by_role("figure", name="Текст сообщения с примером")).to_have_text("Hello Иван")
    expect(size).to_have_text("Кодировка: UCS-2; длина: 10; частей SMS: 1")  # Cyrillic: UCS-2
    text.fill("a" * 160)
    expect(size).to_have_text("Кодировка: GSM-7; длина: 160; частей SMS: 1")
    text.fill("a" * 161)
    expect(size).to_have_text("Кодировка: GSM-7; длина: 161; частей SMS: 2")
    text.fill("я" * 71)
    expect(size).to_have_text("Кодировка: UCS-2; длина: 71; частей SMS: 2")
    text.fill("я" * 135)
    expect(size).to_have_text("Кодировка: UCS-2; длина: 135; частей SMS: 3")
    screenshot(signed_in, "admin_mailings_preview")


def test_the_delivery_log_filters_by_status_and_offers_retry_for_failed(signed_in: Any, api: httpx.Client) -> None:
    status = own_status(api)
    doctor, day = own_doctor_with_day(api, "Журналов")
    schedule = create_schedule(api, status, "Ждём вас %Date%, %Name1%")
    try:
        sent_name, failed_name = f"Доставлен{suffix()}", f"Безномера{suffix()}"
        sent = book_with_status(
            api,
            doctor,
            day,
            "10:00",
            status,
            {"last_name": sent_name, "first_name": "Тест", "mobile_phone": "+79165550103"},
        )
        failed = book_with_status(api, doctor, day, "11:00", status, {"last_name": failed_name, "first_name": "Тест"})
        wait_for_message(api, sent["id"], ("sent",))
        wait_for_message(api, failed["id"], ("failed",))
        open_tab(signed_in, "Журнал отправки")
        log = signed_in.get_by_role("table", name="Журнал отправки")
        signed_in.get_by_label("Статус", exact=True).select_option(label="Не отправлено")
        failed_row = (
            log.get_by_role("row")
            .filter(has_text=re.compile(r"Ждём вас .*, Тест"))
            .filter(has=signed_in.get_by_role("button", name="Повторить"))
        )
        expect(failed_row.first).to_be_visible()
        for row in log.get_by_role("row").all()[1:]:
            expect(row).to_contain_text("Не отправлено")
        signed_in.get_by_label("Статус", exact=True).select_option(label="Отправлено")
        expect(log.get_by_role("row").filter(has_text="9165550103").first).to_be_visible()
        expect(log.get_by_role("button", name="Повторить")).to_have_count(0)
        screenshot(signed_in, "admin_mailings_log")
    finally:
        delete_schedule(api, schedule["id"])


def test_retry_queues_a_failed_message_again(signed_in: Any, api: httpx.Client) -> None:
    status = own_status(api)
    doctor, day = own_doctor_with_day(api, "Повторов")
    schedule = create_schedule(api, status, "Повтор для %Name3%")
    try:
        last_name = f"Безтелефона{suffix()}"
        appointment = book_with_status(
            api, doctor, day, "12:00", status, {"last_name": last_name, "first_name": "Тест"}
        )
        failed = wait_for_message(api, appointment["id"], ("failed",))
        open_tab(signed_in, "Журнал отправки")
        row = signed_in.get_by_role("row").filter(has_text=f"Повтор для {last_name}")
        row.get_by_role("button", name="Повторить").click()
        expect(signed_in.get_by_role("status").filter(has_text="Сообщение поставлено в очередь")).to_be_visible()
        again = wait_for_message(api, appointment["id"], ("failed",))
        assert again["id"] == failed["id"] and again["attempts"] > failed["attempts"]
    finally:
        delete_schedule(api, schedule["id"])


def test_a_schedule_changes_its_type_and_parameters(signed_in: Any, api: httpx.Client) -> None:
    schedule = create_schedule(api, own_status(api), "Напоминание %Name1%")
    try:
        open_tab(signed_in, "График рассылки")
        signed_in.get_by_role("button", name=f"Изменить: {schedule['name']}").click()
        dialog = signed_in.get_by_role("dialog", name="Задача отправки SMS сообщений")
        dialog.get_by_label("Тип задачи", exact=True).select_option(label="Дней до записи на приём")
        dialog.get_by_label("Дней", exact=True).fill("2")
        dialog.get_by_label("Время отправки", exact=True).fill("14:00")
        dialog.get_by_label("Текст сообщения", exact=True).fill("Ждём вас %Date% в %Time%, %Name1%")
        dialog.get_by_role("button", name="Сохранить").click()
        expect(dialog).to_be_hidden()
        row = signed_in.get_by_role("row", name=re.compile(re.escape(schedule["name"])))
        expect(row).to_contain_text("Дней до записи на приём")
        [saved] = schedules_named(api, schedule["name"])
        assert (saved["type"], saved["days"], saved["send_time"][:5]) == ("days_before_appointment", 2, "14:00")
        assert saved.get("status_id") is None and saved.get("minutes") is None
    finally:
        delete_schedule(api, schedule["id"])


def test_a_schedule_is_deleted_from_the_list(signed_in: Any, api: httpx.Client) -> None:
    schedule = create_schedule(api, own_status(api), "Удаляемый %Name1%")
    open_tab(signed_in, "График рассылки")
    signed_in.get_by_role("button", name=f"Удалить: {schedule['name']}").click()
    signed_in.get_by_role("dialog", name="Удалить график рассылки").get_by_role("button", name="Удалить").click()
    expect(signed_in.get_by_role("row", name=re.compile(re.escape(schedule["name"])))).to_be_hidden()
    assert schedules_named(api, schedule["name"]) == []


def test_a_provider_secret_is_never_shown_back(signed_in: Any, api: httpx.Client) -> None:
    secret = f"tajna-{suffix()}-Q7"
    try:
        open_tab(signed_in, "Настройки службы")
        smsc = signed_in.get_by_role("group", name="СМС")
        password = smsc.get_by_label("Пароль", exact=True).first
        password.fill(secret)
        signed_in.get_by_role("button", name="Сохранить").click()
        expect(signed_in.get_by_role("status").filter(has_text="Настройки сохранены")).to_be_visible()
        settings = api.get("/api/notifier/settings").json()
        assert settings["smsc"]["password_set"] is True
        assert secret not in str(settings)
        signed_in.reload()
        password = signed_in.get_by_role("group", name="СМС").get_by_label("Пароль", exact=True).first
        expect(password).to_have_value("")
        expect(password).to_have_attribute("placeholder", re.compile("задан"))
        assert secret not in signed_in.content()
        screenshot(signed_in, "admin_mailings_settings")
    finally:
        response = api.get("/api/notifier/settings")
        api.put(
            "/api/notifier/settings", json={"smsc": {"password": ""}}, headers={"If-Match": response.headers["ETag"]}
        )


def test_the_mailings_tabs_have_no_serious_accessibility_violation(browser: Any, web_platform: Any) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        for tab in ("График рассылки", "Журнал отправки", "Настройки службы", "Тестовые ящики"):
            open_tab(page, tab)
            page.get_by_role("tabpanel").get_by_role("heading").first.wait_for()
            assert axe_violations(page) == [], tab
        open_tab(page, "График рассылки")
        page.get_by_role("button", name="Добавить").click()
        page.get_by_role("dialog").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
