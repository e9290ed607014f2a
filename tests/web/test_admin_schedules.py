"""«Расписание работы» (SCH-2): a month of a new doctor filled by weekday pattern and seen on the
front desk's grid, one day changed in the month view, the appointments a removal would strand shown
before anything is saved, a week copied, and accessibility. Each test has its own doctor."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from admin_schedules_steps import (
    book,
    create_day,
    create_doctor,
    next_month,
    open_schedules,
    ru_date,
    schedules,
    suffix,
    weekdays_of,
)
from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect


def day_button(page: Any, day: dt.date) -> Any:
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(ru_date(day))}:"))


def test_a_month_filled_by_weekday_pattern_shows_in_the_month_view_and_on_the_front_desk_grid(
    signed_in: Any, api: Any
) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    open_schedules(signed_in, doctor, month)
    signed_in.get_by_role("button", name="Заполнить по дням недели").click()
    dialog = signed_in.get_by_role("dialog", name="Заполнить период по дням недели")
    for weekday in ("Пн", "Вт", "Ср", "Чт", "Пт"):
        expect(dialog.get_by_label(weekday, exact=True)).to_be_checked()
    for weekday in ("Сб", "Вс"):
        expect(dialog.get_by_label(weekday, exact=True)).not_to_be_checked()
    expect(dialog.get_by_label("Дата с")).to_have_value(month.isoformat())
    dialog.get_by_label("Интервал 1: с").fill("09:00")
    dialog.get_by_label("Интервал 1: по").fill("15:00")
    dialog.get_by_role("button", name="Заполнить", exact=True).click()
    workdays = weekdays_of(month)
    expect(dialog.get_by_text(f"Создано дней: {len(workdays)}")).to_be_visible()
    screenshot(signed_in, "admin_schedules_fill_report")
    dialog.get_by_role("button", name="Готово").click()

    monday = workdays[0] if workdays[0].weekday() == 0 else next(d for d in workdays if d.weekday() == 0)
    expect(day_button(signed_in, monday)).to_contain_text("09:00–15:00")
    saturday = monday + dt.timedelta(days=5)
    expect(day_button(signed_in, saturday)).to_contain_text("Не работает")
    # the API holds exactly the weekdays: Monday first, 0 = Monday
    stored = schedules(api, doctor["id"], month, workdays[-1])
    assert sorted(stored) == [d.isoformat() for d in workdays]
    assert stored[monday.isoformat()]["intervals"][0]["start"] == "09:00"
    screenshot(signed_in, "admin_schedules_month")

    signed_in.goto(f"/schedule?date={monday.isoformat()}")
    grid = signed_in.get_by_role("region", name="Сетка расписания")
    expect(grid.get_by_text(doctor["name"], exact=True)).to_be_visible()
    screenshot(signed_in, "admin_schedules_front_desk_grid")


def test_one_day_changed_in_its_dialog_shows_its_new_hours_and_break_in_the_month_view(
    signed_in: Any, api: Any
) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    day = weekdays_of(month)[2]
    create_day(api, doctor["id"], day)
    open_schedules(signed_in, doctor, month)
    day_button(signed_in, day).click()
    dialog = signed_in.get_by_role("dialog", name=f"Расписание на {ru_date(day)}")
    expect(dialog.get_by_label("Интервал 1: с")).to_have_value("09:00")
    dialog.get_by_label("Интервал 1: по").fill("17:30")
    dialog.get_by_role("button", name="Добавить перерыв").click()
    dialog.get_by_label("Перерыв 1: с").fill("12:00")
    dialog.get_by_label("Перерыв 1: по").fill("12:45")
    dialog.get_by_label("Тип дня").select_option(label="Сокращённый")
    screenshot(signed_in, "admin_schedules_day_dialog")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(dialog).to_be_hidden()
    cell = day_button(signed_in, day)
    expect(cell).to_contain_text("09:00–17:30")
    expect(cell).to_contain_text("Перерыв 12:00–12:45")
    expect(cell).to_contain_text("Сокращённый")
    stored = schedules(api, doctor["id"], day, day)[day.isoformat()]
    assert [(r["start"], r["end"]) for r in stored["breaks"]] == [("12:00", "12:45")]


def test_removing_a_day_with_an_appointment_shows_the_appointment_and_keeps_the_day(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    day = weekdays_of(month)[3]
    create_day(api, doctor["id"], day)
    patient = f"Конфликтов{suffix()}"
    book(api, doctor["id"], day, "10:00", patient)
    open_schedules(signed_in, doctor, month)
    expect(day_button(signed_in, day)).to_contain_text("Записей: 1")
    day_button(signed_in, day).click()
    dialog = signed_in.get_by_role("dialog", name=f"Расписание на {ru_date(day)}")
    dialog.get_by_role("button", name="Удалить").click()
    conflicts = dialog.get_by_role("alert")
    expect(conflicts).to_contain_text("Записи на приём вне рабочего времени: 1")
    expect(conflicts.get_by_role("link", name=re.compile(patient))).to_be_visible()
    expect(conflicts).to_contain_text(f"{ru_date(day)} 10:00–10:30")  # the clinic's clock
    screenshot(signed_in, "admin_schedules_conflicts")
    conflicts.get_by_role("button", name="Вернуться к расписанию").click()
    expect(dialog.get_by_label("Интервал 1: с")).to_have_value("09:00")
    assert day.isoformat() in schedules(api, doctor["id"], day, day)


def test_shortening_a_day_before_its_appointment_shows_the_conflict_before_saving(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    day = weekdays_of(month)[4]
    create_day(api, doctor["id"], day)
    patient = f"Поздних{suffix()}"
    book(api, doctor["id"], day, "14:00", patient)
    open_schedules(signed_in, doctor, month)
    day_button(signed_in, day).click()
    dialog = signed_in.get_by_role("dialog", name=f"Расписание на {ru_date(day)}")
    dialog.get_by_label("Интервал 1: по").fill("13:00")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(dialog.get_by_role("alert").get_by_role("link", name=re.compile(patient))).to_be_visible()
    stored = schedules(api, doctor["id"], day, day)[day.isoformat()]
    assert stored["intervals"][0]["end"] == "15:00" and stored["version"] == 1


def test_a_fill_replacing_days_shows_the_appointments_it_would_strand_and_skips_their_day(
    signed_in: Any, api: Any
) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    monday = next(d for d in weekdays_of(month) if d.weekday() == 0)
    for offset in range(5):
        create_day(api, doctor["id"], monday + dt.timedelta(days=offset))
    wednesday = monday + dt.timedelta(days=2)
    patient = f"Заполнений{suffix()}"
    book(api, doctor["id"], wednesday, "14:00", patient)
    open_schedules(signed_in, doctor, month)
    signed_in.get_by_role("button", name="Заполнить по дням недели").click()
    dialog = signed_in.get_by_role("dialog", name="Заполнить период по дням недели")
    dialog.get_by_label("Дата с").fill(monday.isoformat())
    dialog.get_by_label("Дата по").fill((monday + dt.timedelta(days=4)).isoformat())
    dialog.get_by_label("Интервал 1: по").fill("13:00")
    dialog.get_by_label("Заменить уже созданные дни").check()
    dialog.get_by_role("button", name="Заполнить", exact=True).click()
    conflicts = dialog.get_by_role("alert")
    expect(conflicts.get_by_role("link", name=re.compile(patient))).to_be_visible()
    expect(conflicts).to_contain_text(f"{ru_date(wednesday)} 14:00–14:30")
    assert schedules(api, doctor["id"], monday, monday)[monday.isoformat()]["version"] == 1  # nothing sent yet
    screenshot(signed_in, "admin_schedules_fill_conflicts")
    dialog.get_by_role("button", name="Заполнить остальные дни").click()
    expect(dialog.get_by_text("Заменено дней: 4")).to_be_visible()
    expect(dialog.get_by_role("table")).to_contain_text(ru_date(wednesday))
    stored = schedules(api, doctor["id"], monday, monday + dt.timedelta(days=4))
    assert stored[wednesday.isoformat()]["intervals"][0]["end"] == "15:00"
    assert stored[monday.isoformat()]["intervals"][0]["end"] == "13:00"


def test_a_week_is_copied_to_the_next_week(signed_in: Any, api: Any) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    monday = next(d for d in weekdays_of(month) if d.weekday() == 0)
    create_day(api, doctor["id"], monday, "08:00", "12:00")
    create_day(api, doctor["id"], monday + dt.timedelta(days=2), "13:00", "19:00")
    open_schedules(signed_in, doctor, month)
    signed_in.get_by_role("button", name="Копировать неделю").click()
    dialog = signed_in.get_by_role("dialog", name="Копировать неделю")
    dialog.get_by_label("Неделя, которую копировать (любой её день)").fill((monday + dt.timedelta(days=3)).isoformat())
    dialog.get_by_label("На следующую неделю").check()
    dialog.get_by_role("button", name="Копировать", exact=True).click()
    expect(dialog.get_by_role("table")).to_contain_text("создано")
    next_monday = monday + dt.timedelta(days=7)
    stored = schedules(api, doctor["id"], next_monday, next_monday + dt.timedelta(days=6))
    assert sorted(stored) == [next_monday.isoformat(), (next_monday + dt.timedelta(days=2)).isoformat()]
    assert stored[next_monday.isoformat()]["intervals"][0] == {
        **stored[next_monday.isoformat()]["intervals"][0],
        "start": "08:00",
        "end": "12:00",
    }
    dialog.get_by_role("button", name="Готово").click()
    expect(day_button(signed_in, next_monday)).to_contain_text("08:00–12:00")


def test_a_cabinet_has_its_own_working_day(signed_in: Any, api: Any) -> None:
    response = api.post("/api/scheduling/cabinets", json={"name": f"Кабинет {suffix()}"})
    assert response.status_code == 201, response.text
    cabinet = response.json()
    month = next_month(api)
    day = weekdays_of(month)[1]
    signed_in.goto(f"/admin/schedules?month={month.strftime('%Y-%m')}")
    signed_in.get_by_label("Кабинеты").check()
    signed_in.get_by_label("Кабинет", exact=True).select_option(cabinet["id"])
    day_button(signed_in, day).click()
    dialog = signed_in.get_by_role("dialog", name=f"Расписание на {ru_date(day)}")
    dialog.get_by_label("Интервал 1: с").fill("08:00")
    dialog.get_by_label("Интервал 1: по").fill("20:00")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(day_button(signed_in, day)).to_contain_text("08:00–20:00")
    response = api.get(
        "/api/scheduling/schedules",
        params={"cabinet_id": cabinet["id"], "date_from": day.isoformat(), "date_to": day.isoformat()},
    )
    [stored] = response.json()["items"]
    assert (stored["cabinet_id"], stored["doctor_id"], stored["intervals"][0]["end"]) == (cabinet["id"], None, "20:00")


def test_the_work_schedules_screen_and_its_dialogs_have_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: Any
) -> None:
    doctor = create_doctor(api)
    month = next_month(api)
    create_day(api, doctor["id"], weekdays_of(month)[0])
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        open_schedules(page, doctor, month)
        expect(page.get_by_role("columnheader", name="Пн")).to_be_visible()
        assert axe_violations(page) == []
        day_button(page, weekdays_of(month)[0]).click()
        page.get_by_role("dialog").wait_for()
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Заполнить по дням недели").click()
        page.get_by_role("dialog").wait_for()
        assert axe_violations(page) == []
        screenshot(page, "admin_schedules_fill_dialog")
    finally:
        page.context.close()
