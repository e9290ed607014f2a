"""«ONDOC» (OND-1..8): the settings show the tokens masked and save (restored afterwards: other tests
assume ONDOC is off), a time zone other than the clinic's is refused under its field, «Синхронизировать
сейчас» shows its result, the outbound queue shows its depth, and accessibility."""

from __future__ import annotations

import re
from typing import Any

import httpx
from admin_schedules_steps import create_doctor, suffix
from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect

RESTORED = ("enabled", "refresh_interval_minutes", "contact_priority", "attach_code_ttl_minutes", "server_url")


def ondoc_settings(api: httpx.Client) -> tuple[dict[str, Any], str]:
    response = api.get("/api/ondoc/settings")
    assert response.status_code == 200, response.text
    return response.json(), response.headers["ETag"]


def restore(api: httpx.Client, before: dict[str, Any]) -> None:
    _, etag = ondoc_settings(api)
    response = api.put(
        "/api/ondoc/settings", json={name: before[name] for name in RESTORED}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert ondoc_settings(api)[0]["enabled"] is before["enabled"]


def open_tab(page: Any, name: str) -> None:
    page.goto("/admin/ondoc")
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def test_the_ondoc_settings_show_tokens_masked_and_save(signed_in: Any, api: httpx.Client) -> None:
    before, _ = ondoc_settings(api)
    try:
        open_tab(signed_in, "Настройки")
        for label in ("Access token (старое API)", "Access token (новое API)"):
            token = signed_in.get_by_label(label, exact=True)
            expect(token).to_have_value("")
            expect(token).to_have_attribute("type", "password")
        expect(signed_in.get_by_label("Часовой пояс", exact=True)).to_have_value(before["time_zone_offset"])
        interval = 17 if before["refresh_interval_minutes"] != 17 else 19
        signed_in.get_by_label("Частота обновления данных, мин", exact=True).fill(str(interval))
        signed_in.get_by_label("Приоритетность контакта", exact=True).select_option(label="Электронная почта")
        screenshot(signed_in, "admin_ondoc_settings")
        signed_in.get_by_role("button", name="Сохранить").click()
        expect(signed_in.get_by_role("status").filter(has_text="Настройки ONDOC сохранены")).to_be_visible()
        after, _ = ondoc_settings(api)
        assert (after["refresh_interval_minutes"], after["contact_priority"]) == (interval, "email")
        # the tokens were not touched by a save that left their fields empty
        assert (after["company_token_set"], after["branch_token_set"]) == (
            before["company_token_set"],
            before["branch_token_set"],
        )
        assert after["enabled"] is before["enabled"]
    finally:
        restore(api, before)


def test_a_time_zone_other_than_the_clinics_is_refused_under_its_field(signed_in: Any, api: httpx.Client) -> None:
    before, _ = ondoc_settings(api)
    try:
        open_tab(signed_in, "Настройки")
        zone = signed_in.get_by_label("Часовой пояс", exact=True)
        zone.fill("+11:00" if before["time_zone_offset"] != "+11:00" else "+10:00")
        signed_in.get_by_role("button", name="Сохранить").click()
        expect(zone).to_have_attribute("aria-invalid", "true")
        described = zone.get_attribute("aria-describedby")
        assert described and signed_in.locator(f"#{described}").inner_text().strip()
        assert ondoc_settings(api)[0]["version"] == before["version"]
        screenshot(signed_in, "admin_ondoc_time_zone_refused")
    finally:
        restore(api, before)


def test_sync_now_shows_the_upload_of_each_directory(signed_in: Any, api: httpx.Client) -> None:
    before, etag = ondoc_settings(api)
    try:
        # The upload needs the integration on; it is switched off again in `finally`.
        response = api.put("/api/ondoc/settings", json={"enabled": True}, headers={"If-Match": etag})
        assert response.status_code == 200, response.text
        open_tab(signed_in, "Выгрузка данных")
        signed_in.get_by_role("button", name="Синхронизировать сейчас").click()
        expect(
            signed_in.get_by_role("status").filter(has_text=re.compile("Данные выгружены|Выгрузка завершена"))
        ).to_be_visible()
        table = signed_in.get_by_role("table", name="Выгрузка данных в ONDOC")
        for kind in ("Сотрудники", "Специализации", "Услуги", "Свободные окна"):
            expect(table.get_by_role("row", name=re.compile(kind))).to_be_visible()
        screenshot(signed_in, "admin_ondoc_sync")
    finally:
        restore(api, before)


def test_sync_now_while_switched_off_shows_the_refusal(signed_in: Any, api: httpx.Client) -> None:
    before, _ = ondoc_settings(api)
    if before["enabled"]:
        restore(api, {**before, "enabled": False})
    try:
        open_tab(signed_in, "Выгрузка данных")
        signed_in.get_by_role("button", name="Синхронизировать сейчас").click()
        expect(signed_in.get_by_role("alert")).to_contain_text("ONDOC")
    finally:
        restore(api, before)


def test_the_outbound_queue_shows_its_depth(signed_in: Any, api: httpx.Client) -> None:
    summary = api.get("/api/ondoc/outbound/summary").json()
    open_tab(signed_in, "Очередь отправки")
    depth = signed_in.get_by_role("definition").first
    expect(depth).to_have_text(str(summary["pending"]))
    expect(signed_in.get_by_text("Самое раннее ожидающее")).to_be_visible()
    screenshot(signed_in, "admin_ondoc_queue")


def test_the_ondoc_tabs_have_no_serious_accessibility_violation(browser: Any, web_platform: Any) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        for tab in (
            "Настройки",
            "Прикреплённые пациенты",
            "Сопоставление справочников",
            "Выгрузка данных",
            "Очередь отправки",
        ):
            open_tab(page, tab)
            page.get_by_role("tabpanel").get_by_role("heading").first.wait_for()
            assert axe_violations(page) == [], tab
            screenshot(page, f"admin_ondoc_{tab}")
    finally:
        page.context.close()


def test_a_doctor_is_mapped_to_an_ondoc_item_and_unmapped(signed_in: Any, api: httpx.Client) -> None:
    doctor = create_doctor(api, "Сопоставлен")
    ondoc_id = f"doc-{suffix()}"
    open_tab(signed_in, "Сопоставление справочников")
    signed_in.get_by_label("Справочник", exact=True).select_option(label="Сотрудники")
    signed_in.get_by_label("Сотрудник", exact=True).select_option(doctor["id"])
    signed_in.get_by_label("ID в ONDOC", exact=True).fill(ondoc_id)
    signed_in.get_by_role("button", name="Сопоставить").click()
    row = signed_in.get_by_role("row", name=re.compile(re.escape(doctor["last_name"])))
    expect(row).to_contain_text(ondoc_id)
    response = api.get(f"/api/ondoc/mappings/doctors/{doctor['id']}")
    assert response.status_code == 200 and response.json()["ondoc_id"] == ondoc_id, response.text
    screenshot(signed_in, "admin_ondoc_mappings")
    row.get_by_role("button", name=re.compile("^Удалить сопоставление")).click()
    expect(row).to_be_hidden()
    assert api.get(f"/api/ondoc/mappings/doctors/{doctor['id']}").status_code == 404
