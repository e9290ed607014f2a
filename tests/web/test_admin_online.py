"""«Онлайн-запись» (SCH-13): a doctor↔service link created with its price, the API's refusal shown
under the field it names, the general discount previewed (old → new price, rounded as the API does)
then set, a widget key shown once and revoked, and accessibility. Each test links its own doctor;
the general discount is platform-wide, so the test that sets it restores it."""

from __future__ import annotations

import re
from typing import Any

import httpx
from admin_schedules_steps import create_doctor
from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect


def a_service(api: httpx.Client) -> dict[str, Any]:
    response = api.get("/api/scheduling/services", params={"limit": 500})
    assert response.status_code == 200, response.text
    return next(s for s in response.json()["items"] if s["active"])


def create_link(api: httpx.Client, doctor: dict[str, Any], service: dict[str, Any], price: str) -> dict[str, Any]:
    response = api.post(
        "/api/scheduling/online/links",
        json={"doctor_id": doctor["id"], "service_id": service["id"], "show_price": True, "price": price},
    )
    assert response.status_code == 201, response.text
    return response.json()


def links_of(api: httpx.Client, doctor: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.get("/api/scheduling/online/links", params={"doctor_id": doctor["id"]})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def general_discount(api: httpx.Client) -> tuple[str, str]:
    response = api.get("/api/scheduling/online/settings")
    assert response.status_code == 200, response.text
    return response.json()["general_discount_percent"], response.headers["ETag"]


def set_general_discount(api: httpx.Client, percent: str) -> None:
    _, etag = general_discount(api)
    response = api.put(
        "/api/scheduling/online/settings", json={"general_discount_percent": percent}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text


def open_tab(page: Any, name: str) -> None:
    page.goto("/admin/online")
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def test_a_service_is_linked_to_a_doctor_with_its_price(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api, "Онлайнов")
    service = a_service(api)
    open_tab(signed_in, "Настройка услуг")
    signed_in.get_by_role("button", name="Добавить услугу врачу").click()
    dialog = signed_in.get_by_role("dialog", name="Новая услуга для онлайн-записи")
    dialog.get_by_label("Врач", exact=True).select_option(doctor["id"])
    dialog.get_by_label("Услуга", exact=True).select_option(service["id"])
    dialog.get_by_label("Режим записи").select_option(label="Онлайн-консультация")
    dialog.get_by_label("Стоимость", exact=True).fill("850,50")
    screenshot(signed_in, "admin_online_link_dialog")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(dialog).to_be_hidden()
    signed_in.get_by_label("Специалист").select_option(doctor["id"])
    row = signed_in.get_by_role("row", name=re.compile(re.escape(doctor["name"])))
    expect(row).to_contain_text("850,50")
    expect(row).to_contain_text("Онлайн-консультация")
    [link] = links_of(api, doctor)
    assert (link["price"], link["mode"], link["show_price"]) == ("850.50", "online_consultation", True)
    screenshot(signed_in, "admin_online_links")


def test_a_prepayment_above_the_price_is_refused_under_its_field(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api, "Предоплатов")
    create_link(api, doctor, a_service(api), "500")
    open_tab(signed_in, "Настройка услуг")
    signed_in.get_by_role("button", name=re.compile(rf"^Изменить: {re.escape(doctor['name'])}")).click()
    dialog = signed_in.get_by_role("dialog", name="Характеристики услуги")
    dialog.get_by_label("Требуется предоплата").check()
    dialog.get_by_label("Сумма предоплаты").fill("600")
    dialog.get_by_role("button", name="Сохранить").click()
    amount = dialog.get_by_label("Сумма предоплаты")
    expect(amount).to_have_attribute("aria-invalid", "true")
    described = amount.get_attribute("aria-describedby")
    assert described and dialog.locator(f"#{described}").inner_text().strip()
    assert links_of(api, doctor)[0]["prepayment_required"] is False


def test_the_general_discount_previews_the_new_prices_then_applies_to_all_links(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api, "Скидкин")
    create_link(api, doctor, a_service(api), "999.99")
    before, _ = general_discount(api)
    try:
        set_general_discount(api, "0")
        open_tab(signed_in, "Общая скидка")
        signed_in.get_by_label("Общая скидка в %").fill("12,5")
        preview = signed_in.get_by_role("table", name=re.compile("Предпросмотр"))
        row = preview.get_by_role("row", name=re.compile(re.escape(doctor["name"])))
        # 999.99 × 0.875 = 874.99125 → 874.99: rounded half up to kopecks, as the API does
        expect(row).to_contain_text("999,99")
        expect(row).to_contain_text("874,99")
        assert general_discount(api)[0] in ("0", "0.00")  # nothing is set by the preview
        screenshot(signed_in, "admin_online_discount_preview")
        signed_in.get_by_role("button", name="Установить").click()
        expect(signed_in.get_by_role("status").filter(has_text="Общая скидка 12,5 % установлена")).to_be_visible()
        assert general_discount(api)[0] == "12.50"
        expect(signed_in.get_by_role("table", name="Цены при общей скидке 12,5 %")).to_contain_text("874,99")
    finally:
        set_general_discount(api, before)


def test_a_widget_key_is_shown_once_and_stops_working_when_revoked(signed_in: Any, api: Any, web_platform: Any) -> None:
    label = f"Сайт клиники {create_doctor(api, 'Ключев')['last_name']}"
    open_tab(signed_in, "Ключи виджета")
    signed_in.get_by_label("Название").fill(label)
    signed_in.get_by_role("button", name="Создать ключ").click()
    dialog = signed_in.get_by_role("dialog", name=f"Ключ «{label}» создан")
    expect(dialog.get_by_role("alert")).to_contain_text("показывается только один раз")
    key = dialog.get_by_label("Ключ").input_value()
    assert key.startswith("clk_") and len(key) > 30
    expect(dialog.get_by_role("button", name="Копировать")).to_be_visible()
    screenshot(signed_in, "admin_online_key_created")
    with httpx.Client(base_url=web_platform.base_url) as widget:
        assert widget.get("/api/scheduling/online/doctors", headers={"X-Api-Key": key}).status_code == 200
        dialog.get_by_role("button", name="Готово").click()
        row = signed_in.get_by_role("row", name=re.compile(re.escape(label)))
        expect(row).to_contain_text(key[:10])
        expect(row).to_contain_text("не использовался")
        assert key not in signed_in.content()  # the key is not shown again

        row.get_by_role("button", name=f"Отозвать ключ «{label}»").click()
        confirm = signed_in.get_by_role("dialog", name="Отозвать ключ")
        confirm.get_by_role("button", name="Отозвать").click()
        expect(row).to_be_hidden()
        assert widget.get("/api/scheduling/online/doctors", headers={"X-Api-Key": key}).status_code == 401


def test_the_online_booking_tabs_have_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: Any
) -> None:
    doctor = create_doctor(api, "Доступнов")
    create_link(api, doctor, a_service(api), "100")
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        for tab in ("Настройка услуг", "Общая скидка", "Ключи виджета"):
            open_tab(page, tab)
            page.get_by_role("tabpanel").get_by_role("heading").first.wait_for()
            assert axe_violations(page) == [], tab
        open_tab(page, "Настройка услуг")
        page.get_by_role("button", name="Добавить услугу врачу").click()
        page.get_by_role("dialog").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
