"""«Поиск записей» (SCH-11), the search by patient (SCH-18) and «Поиск свободного времени» (SCH-12):
filters, the call list for tomorrow, the Excel export, free slots that book in one click."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import httpx
from admin_schedules_steps import create_day
from conftest import axe_violations, log_in, new_page
from patients_steps import (
    FEDOROVA,
    MOROZOV,
    NOVIKOV,
    book,
    clinic_today,
    clinic_zone,
    doctor,
    next_weekday,
    ru_date,
    short_name,
    unique,
)
from playwright.sync_api import expect


def search_day(page: Any, day: str, doctor_name: str) -> None:
    page.goto("/search")
    page.get_by_label("Дата с", exact=True).fill(day)
    page.get_by_label("Дата по", exact=True).fill(day)
    page.get_by_label("Врач", exact=True).select_option(label=short_name(doctor_name))
    page.get_by_role("button", name="Найти", exact=True).first.click()


def result_rows(page: Any) -> Any:
    return page.get_by_role("table", name="Найденные записи на приём").get_by_role("row")


def test_appointment_search_filters_by_doctor_and_date(signed_in: Any, api: httpx.Client) -> None:
    day = next_weekday(api)
    surname = unique("Искомый")
    booked = book(api, NOVIKOV, day, ["10:00", "10:30", "12:00"], last_name=surname)
    search_day(signed_in, day, NOVIKOV)
    row = result_rows(signed_in).filter(has_text=surname)
    start = dt.datetime.fromisoformat(booked["start"]).astimezone(clinic_zone(api)).strftime("%H:%M")
    expect(row).to_contain_text(ru_date(day))
    expect(row.get_by_role("link", name=re.compile(f"^{start}–"))).to_have_attribute(
        "href", f"/appointments/{booked['id']}"
    )
    doctors = result_rows(signed_in).locator("td:nth-child(7)").all_inner_texts()
    assert doctors and all("Новиков" in name for name in doctors), doctors
    dates = result_rows(signed_in).locator("td:nth-child(1)").all_inner_texts()
    assert set(dates) == {ru_date(day)}, dates


def test_a_refused_filter_shows_the_api_message_at_that_filter(signed_in: Any, api: httpx.Client) -> None:
    signed_in.goto("/search")
    phone = signed_in.get_by_label("Телефон", exact=True)
    phone.fill("12")
    signed_in.get_by_role("button", name="Найти", exact=True).first.click()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("цифр"))


def test_the_call_list_for_tomorrow_shows_an_appointment_booked_for_tomorrow(signed_in: Any, api: httpx.Client) -> None:
    tomorrow = clinic_today(api) + dt.timedelta(days=1)
    if tomorrow.weekday() >= 5:  # the demo doctors work on weekdays: give her a working day tomorrow
        create_day(api, doctor(api, FEDOROVA)["id"], tomorrow, "09:00", "18:00")
    surname = unique("Завтрашний")
    book(api, FEDOROVA, tomorrow.isoformat(), ["11:00", "11:30", "12:00"], last_name=surname)
    signed_in.goto("/search")
    signed_in.get_by_role("button", name="Кто придёт завтра").click()
    expect(signed_in.get_by_label("Дата с", exact=True)).to_have_value(tomorrow.isoformat())
    row = result_rows(signed_in).filter(has_text=surname)
    expect(row).to_contain_text("+7 (900) 123-45-67")
    expect(row).to_contain_text("Фёдорова")


def test_the_excel_export_downloads_the_appointments_found(signed_in: Any, api: httpx.Client) -> None:
    day = next_weekday(api)
    surname = unique("Выгруженный")
    book(api, NOVIKOV, day, ["11:30", "14:00", "14:30"], last_name=surname)
    search_day(signed_in, day, NOVIKOV)
    expect(result_rows(signed_in).filter(has_text=surname)).to_have_count(1)
    with signed_in.expect_download() as download_info:
        signed_in.get_by_role("button", name="Выгрузить в Excel").click()
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith(b"PK")
    assert download_info.value.suggested_filename.endswith(".xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        text = "".join(workbook.read(name).decode("utf-8", "replace") for name in workbook.namelist())
    assert surname in text


def test_the_search_by_patient_shows_the_upcoming_appointment(signed_in: Any, api: httpx.Client) -> None:
    day = next_weekday(api)
    surname = unique("Пациентный")
    book(api, MOROZOV, day, ["16:30", "17:00", "17:30"], last_name=surname)
    signed_in.goto("/search")
    signed_in.get_by_label("ФИО или телефон пациента").fill(surname)
    signed_in.get_by_role("search", name="Поиск записи на приём по пациенту").get_by_role(
        "button", name="Найти"
    ).click()
    upcoming = signed_in.get_by_role("table", name=re.compile("Предстоящие записи"))
    expect(upcoming.get_by_role("link", name=re.compile(ru_date(day)))).to_be_visible()
    expect(upcoming.get_by_role("link", name="Показать в расписании")).to_have_attribute(
        "href", re.compile(f"date={day}&doctor={doctor(api, MOROZOV)['id']}")
    )


def free_times(api: httpx.Client, doctor_id: str, day: str) -> list[str]:
    response = api.get(
        "/api/scheduling/free-slots", params={"doctor_id": doctor_id, "date_from": day, "date_to": day, "limit": 500}
    )
    assert response.status_code == 200, response.text
    zone = clinic_zone(api)
    return [dt.datetime.fromisoformat(s["start"]).astimezone(zone).strftime("%H:%M") for s in response.json()["items"]]


def search_free_time(page: Any, day: str, doctor_name: str) -> Any:
    page.goto("/free-time")
    page.get_by_label("Врач", exact=True).select_option(label=short_name(doctor_name))
    page.get_by_label("Дата с", exact=True).fill(day)
    page.get_by_label("Дата по", exact=True).fill(day)
    page.get_by_role("button", name="Найти").click()
    return page.get_by_role("list", name=f"Свободное время: {short_name(doctor_name)}, {ru_date(day)}")


def test_free_time_search_shows_the_doctors_free_slots_on_the_next_weekday(signed_in: Any, api: httpx.Client) -> None:
    day = next_weekday(api)
    slots = search_free_time(signed_in, day, MOROZOV)
    expect(slots.get_by_role("link").first).to_be_visible()
    expected = free_times(api, doctor(api, MOROZOV)["id"], day)
    assert slots.get_by_role("link").all_inner_texts() == expected
    assert "13:00" not in expected  # the break is not offered


def test_clicking_a_free_slot_opens_the_booking_in_the_schedule(signed_in: Any, api: httpx.Client) -> None:
    day = next_weekday(api)
    morozov = doctor(api, MOROZOV)["id"]
    slots = search_free_time(signed_in, day, MOROZOV)
    link = slots.get_by_role("link").last
    time = link.inner_text()
    # The schedule takes doctor and time from the address and then tidies it: record where the click went.
    signed_in.evaluate(
        """() => {
          window.__visited = [];
          const push = history.pushState.bind(history);
          history.pushState = (state, title, url) => { window.__visited.push(String(url)); return push(state, title, url); };
        }"""
    )
    link.click()
    signed_in.wait_for_url(re.compile(rf"/schedule\?date={day}"))
    assert signed_in.evaluate("() => window.__visited")[0] == f"/schedule?date={day}&doctor={morozov}&time={time}"


def test_the_appointment_search_has_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    day = next_weekday(api)
    book(api, NOVIKOV, day, ["15:00", "15:30", "16:00"], last_name=unique("Доступный"))
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        search_day(page, day, NOVIKOV)
        expect(result_rows(page).filter(has_text="Доступный").first).to_be_visible()
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_the_free_time_page_has_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        slots = search_free_time(page, next_weekday(api), FEDOROVA)
        expect(slots.get_by_role("link").first).to_be_visible()
        assert axe_violations(page) == []
    finally:
        page.context.close()
