"""«Лаборатория» (LAB-1…9): an order is made for a card, its tube label downloaded as ZPL and
previewed, and once sent the (in-process fake) lab's result arrives with its flag; a catalogue CSV
with a bad row is refused with the row named; accessibility of each tab. The platform runs the fake
lab (`lab_fake_exchange`), which answers 5 s after an order; the exchange polls every 15 s."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from admin_lab_steps import card_known_to_the_lab, demo_lab
from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect


def test_a_lab_order_for_a_card_gets_its_label_and_the_fake_labs_result(signed_in: Any, api: Any) -> None:
    card = card_known_to_the_lab(api, "Анализова")
    page = signed_in
    page.goto("/admin/lab")
    page.get_by_role("button", name="Новый заказ").click()
    dialog = page.get_by_role("dialog", name="Новый заказ")
    dialog.get_by_label("Найти карту").fill(card["last_name"])
    dialog.get_by_role("row", name=card["last_name"]).get_by_role("button", name="Выбрать").click()
    expect(dialog.get_by_text(f"карта № {card['card_number']}")).to_be_visible()
    dialog.get_by_role("checkbox", name="HGB — Гемоглобин").check()
    dialog.get_by_role("button", name="Создать заказ").click()

    order = page.get_by_role("region", name="Заказ №")
    expect(order.get_by_text("Создан", exact=True)).to_be_visible()
    barcode = order.get_by_role("table", name="Пробирки").get_by_role("row").nth(1).get_by_role("cell").first
    expect(barcode).to_have_text(re.compile(r"^2\d{11}$"))
    number = barcode.inner_text().strip()
    assert number.isdigit() and len(number) == 12 and number.startswith("2")

    with page.expect_download() as download_info:
        order.get_by_role("button", name="Скачать этикетки (ZPL)").click()
    download = download_info.value
    zpl = Path(download.path()).read_text(encoding="utf-8")
    assert zpl.startswith("^XA")
    assert number in zpl

    order.get_by_role("button", name="Предпросмотр этикеток").click()
    expect(order.get_by_role("listitem", name=f"Этикетка {number}")).to_contain_text(number)
    screenshot(page, "admin_lab_labels")

    order.get_by_role("button", name="Отправить в лабораторию").click()
    results = order.get_by_role("table", name="Результаты")
    hemoglobin = results.get_by_role("row", name="HGB — Гемоглобин")
    # The fake lab answers 5 s after taking the order; the exchange polls for results every 15 s.
    expect(hemoglobin.get_by_text("Норма")).to_be_visible(timeout=60_000)
    expect(order.get_by_text("Выполнено", exact=True)).to_be_visible()
    value = hemoglobin.get_by_role("cell").nth(1).inner_text()
    assert 120 <= float(value) <= 160  # the fake answers inside the reference range
    screenshot(page, "admin_lab_order_results")


def test_a_catalogue_with_a_bad_row_is_refused_naming_the_row(signed_in: Any, api: Any, tmp_path: Path) -> None:
    code = f"T{uuid.uuid4().hex[:6].upper()}"
    lab = api.post("/api/lab/labs", json={"name": f"Лаборатория {code}", "code": code, "active": True})
    assert lab.status_code == 201, lab.text
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "code;name;container_type;units;reference_low;reference_high\n"
        "K1;Калий;serum;ммоль/л;3.5;5.1\n"
        "K2;Натрий;serum;ммоль/л;много;145\n",
        encoding="utf-8",
    )
    page = signed_in
    page.goto("/admin/lab?tab=labs")
    form = page.get_by_role("form", name="Загрузка каталога тестов")
    form.get_by_label("Лаборатория").select_option(label=f"Лаборатория {code}")
    form.get_by_label("Файл каталога").set_input_files(str(catalogue))
    form.get_by_role("button", name="Загрузить").click()
    rejected = form.get_by_role("table", name="Отклонённые строки")
    expect(rejected.get_by_role("row")).to_have_count(2)
    expect(rejected.get_by_role("row").nth(1).get_by_role("cell").nth(0)).to_have_text("3")
    expect(rejected.get_by_role("row").nth(1).get_by_role("cell").nth(1)).to_have_text("reference_low")
    expect(form.get_by_text("Каталог не загружен")).to_be_visible()
    tests = api.get("/api/lab/tests", params={"lab_id": lab.json()["id"]}).json()
    assert tests["items"] == []
    screenshot(page, "admin_lab_catalogue_report")


def test_a_test_is_linked_to_two_services_in_one_save(signed_in: Any, api: Any) -> None:
    code = f"L{uuid.uuid4().hex[:6].upper()}"
    lab = api.post("/api/lab/labs", json={"name": f"Лаборатория {code}", "code": code, "active": True})
    assert lab.status_code == 201, lab.text
    test = api.post(
        "/api/lab/tests",
        json={"lab_id": lab.json()["id"], "code": "FE", "name": "Железо", "container_type": "serum", "active": True},
    )
    assert test.status_code == 201, test.text
    services = [s for s in api.get("/api/scheduling/services", params={"limit": 500}).json()["items"] if s["active"]][
        :2
    ]

    page = signed_in
    page.goto("/admin/lab?tab=links")
    page.get_by_role("combobox", name="Лаборатория").select_option(label=f"Лаборатория {code}")
    page.get_by_label("Тест", exact=True).select_option(label="FE — Железо")
    group = page.get_by_role("group", name="Услуги прайс-листа")
    for service in services:
        group.get_by_role("checkbox", name=service["name"], exact=True).check()
    group.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Связи теста с услугами сохранены.")).to_be_visible()
    links = api.get("/api/lab/test-service-links", params={"test_id": test.json()["id"]}).json()["items"]
    assert sorted(link["service_id"] for link in links) == sorted(s["id"] for s in services)
    screenshot(page, "admin_lab_links_saved")


def test_the_lab_screens_have_no_serious_accessibility_violations(browser: Any, web_platform: Any, api: Any) -> None:
    demo_lab(api)
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        page.goto("/admin/lab")
        page.get_by_role("table", name="Рабочий список заказов").wait_for()
        assert axe_violations(page) == []
        for tab, ready in (
            ("Лаборатории и тесты", "Внешние лаборатории"),
            ("Связь тестов с услугами", None),
            ("Настройки", None),
        ):
            page.get_by_role("tab", name=tab).click()
            if ready:
                page.get_by_role("table", name=ready).wait_for()
            else:
                page.get_by_role("tabpanel").wait_for()
            if tab == "Связь тестов с услугами":
                page.get_by_label("Тест", exact=True).select_option(index=0)
                page.get_by_role("group", name="Услуги прайс-листа").wait_for()
            if tab == "Настройки":
                page.get_by_role("checkbox", name="Использовать новую лабораторию").wait_for()
            assert axe_violations(page) == [], tab
            screenshot(page, f"admin_lab_{tab}")
        page.get_by_role("tab", name="Заказы").click()
        page.get_by_role("button", name="Новый заказ").click()
        page.get_by_role("dialog", name="Новый заказ").get_by_role("checkbox").first.wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
