"""«Лист ожидания» (SCH-7) beside the schedule: entries with a wished date and without one."""

from __future__ import annotations

from typing import Any

import httpx
from appointment_steps import VASILIEV, doctor, short_name, unique_last_name, waitlist
from conftest import axe_violations, log_in, new_page


def open_panel(page: Any) -> Any:
    page.goto("/schedule")
    # the panel is a region of its own (named by its heading); `.last`: the innermost, should the
    # schedule's side column also name its wrapper so
    panel = page.get_by_role("region", name="Лист ожидания", exact=True).last
    panel.wait_for()
    return panel


def add_entry(panel: Any, last_name: str, doctor_label: str, *, undated: bool) -> None:
    panel.get_by_role("button", name="Добавить", exact=True).click()
    form = panel.get_by_role("form", name="Новая запись в лист ожидания")
    form.get_by_label("Фамилия").fill(last_name)
    form.get_by_label("Имя").fill("Ольга")
    form.get_by_label("Телефон").fill("79031112233")
    form.get_by_label("Врач").select_option(label=doctor_label)
    if undated:
        form.get_by_role("button", name="Очистить дату и время").click()
    else:
        form.get_by_label("Время с").fill("09:00")
        form.get_by_label("Время по").fill("12:00")
    form.get_by_role("button", name="Добавить в лист ожидания").click()
    form.wait_for(state="detached")


def test_an_entry_with_the_shown_date_is_added_from_the_panel(signed_in: Any, api: httpx.Client) -> None:
    panel = open_panel(signed_in)
    last_name = unique_last_name("Ожидаева")
    add_entry(panel, last_name, short_name(doctor(api, VASILIEV)), undated=False)

    entry = next(e for e in waitlist(api) if e["last_name"] == last_name)
    assert entry["wished_date"] is not None
    assert entry["wished_time_from"].startswith("09:00") and entry["wished_time_to"].startswith("12:00")
    group = panel.get_by_role("region", name=f"На {'.'.join(reversed(entry['wished_date'].split('-')))}")
    item = group.get_by_role("listitem").filter(has_text=last_name)
    assert "09:00–12:00" in item.inner_text()
    assert item.get_by_role("button", name="Записать в расписание").is_visible()


def test_an_entry_without_a_date_is_listed_under_without_a_date(signed_in: Any, api: httpx.Client) -> None:
    panel = open_panel(signed_in)
    last_name = unique_last_name("Ожидаева")
    add_entry(panel, last_name, short_name(doctor(api, VASILIEV)), undated=True)

    entry = next(e for e in waitlist(api) if e["last_name"] == last_name)
    assert entry["wished_date"] is None
    group = panel.get_by_role("region", name="Без даты")
    group.get_by_role("listitem").filter(has_text=last_name).wait_for()


def test_an_entry_is_removed_from_the_panel(signed_in: Any, api: httpx.Client) -> None:
    panel = open_panel(signed_in)
    last_name = unique_last_name("Ожидаева")
    add_entry(panel, last_name, short_name(doctor(api, VASILIEV)), undated=True)
    item = panel.get_by_role("listitem").filter(has_text=last_name)
    item.get_by_role("button", name="Удалить", exact=True).click()
    item.get_by_role("button", name="Да, удалить").click()
    item.wait_for(state="detached")
    assert all(e["last_name"] != last_name for e in waitlist(api))


def test_the_panel_with_its_form_open_has_no_serious_accessibility_violation(browser: Any, web_platform: Any) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        panel = open_panel(page)
        panel.get_by_role("button", name="Добавить", exact=True).click()
        panel.get_by_role("form", name="Новая запись в лист ожидания").get_by_label("Фамилия").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
