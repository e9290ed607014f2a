"""«Расписание»: the grid of the demo doctors, booking in «Запись на приём» (from a slot, from
«Новая запись», refused), moving by drag and drop, live updates between two browsers, the
waiting list placed into a slot, and accessibility."""

from __future__ import annotations

from typing import Any

from conftest import axe_violations, log_in, new_page, screenshot
from playwright.sync_api import expect
from schedule_steps import (
    KUZNETSOV,
    POPOVA,
    SMIRNOVA,
    appointment,
    book,
    click_slot,
    doctor_id,
    fill_primary_patient,
    find_appointment,
    iso,
    next_weekday,
    open_schedule,
    slot_point,
    unique,
)


def test_the_grid_shows_the_demo_doctors_on_the_next_weekday(signed_in: Any, api: Any) -> None:
    grid = open_schedule(signed_in, next_weekday(api))
    for name in (SMIRNOVA, KUZNETSOV, POPOVA):
        expect(grid.get_by_text(name, exact=True)).to_be_visible()
    assert signed_in.get_by_label("Дата").input_value() == next_weekday(api)


def test_a_click_on_a_free_slot_books_a_typed_in_patient_at_the_clinic_time(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    grid = open_schedule(signed_in, day)
    click_slot(signed_in, SMIRNOVA, "10:00")
    dialog = signed_in.get_by_role("dialog", name="Запись на приём")
    expect(dialog.get_by_label("Время")).to_have_value("10:00")
    expect(dialog.get_by_label("Дата", exact=True)).to_have_value(day)
    last_name = unique("Слотов")
    fill_primary_patient(dialog, last_name)
    dialog.get_by_role("button", name="Записать").click()
    expect(dialog).to_be_hidden()
    cell = grid.get_by_role("button", name=last_name)
    expect(cell).to_be_visible()
    expect(cell).to_contain_text("10:00–")  # the clinic's clock, the browser being two hours ahead
    booked = find_appointment(api, SMIRNOVA, day, last_name)
    assert booked is not None and booked["start"] == iso(api, day, "10:00")
    assert booked["is_primary"] is True


def test_new_appointment_books_the_doctor_date_and_time_chosen_in_the_dialog(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    grid = open_schedule(signed_in, day)
    signed_in.get_by_role("button", name="Новая запись").click()
    dialog = signed_in.get_by_role("dialog", name="Запись на приём")
    expect(dialog.get_by_label("Врач")).to_be_focused()  # the first empty field
    expect(dialog.get_by_label("Дата", exact=True)).to_have_value(day)  # the day shown
    dialog.get_by_label("Врач").select_option(label=KUZNETSOV)
    dialog.get_by_label("Дата", exact=True).fill(day)
    dialog.get_by_label("Время").fill("10:00")
    last_name = unique("Новиков")
    fill_primary_patient(dialog, last_name)
    dialog.get_by_label("Телефон").press("Enter")  # Enter submits
    expect(dialog).to_be_hidden()
    expect(grid.get_by_role("button", name=last_name)).to_contain_text("10:00–")
    booked = find_appointment(api, KUZNETSOV, day, last_name)
    assert booked is not None and booked["start"] == iso(api, day, "10:00")


def test_a_taken_slot_is_refused_with_the_reason_and_the_appointment_holding_it(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    holder = unique("Занятов")
    book(api, POPOVA, day, "11:00", holder)
    open_schedule(signed_in, day)
    signed_in.get_by_role("button", name="Новая запись").click()
    dialog = signed_in.get_by_role("dialog", name="Запись на приём")
    dialog.get_by_label("Врач").select_option(label=POPOVA)
    dialog.get_by_label("Дата", exact=True).fill(day)
    dialog.get_by_label("Время").fill("11:15")
    fill_primary_patient(dialog, unique("Вторых"))
    dialog.get_by_role("button", name="Записать").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("пересекается")
    expect(alert).to_contain_text(holder)
    expect(dialog).to_be_visible()


def test_a_time_outside_working_hours_is_refused_with_the_reason(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    open_schedule(signed_in, day)
    signed_in.get_by_role("button", name="Новая запись").click()
    dialog = signed_in.get_by_role("dialog", name="Запись на приём")
    dialog.get_by_label("Врач").select_option(label=POPOVA)
    dialog.get_by_label("Дата", exact=True).fill(day)
    dialog.get_by_label("Время").fill("07:00")
    last_name = unique("Раннев")
    fill_primary_patient(dialog, last_name)
    dialog.get_by_role("button", name="Записать").click()
    expect(dialog.get_by_role("alert")).to_contain_text("рабоч")
    assert find_appointment(api, POPOVA, day, last_name) is None


def test_an_appointment_is_moved_by_drag_and_drop(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    last_name = unique("Переносов")
    booked = book(api, SMIRNOVA, day, "15:00", last_name)
    grid = open_schedule(signed_in, day)
    _, target_y = slot_point(signed_in, SMIRNOVA, "16:00")  # scrolls the afternoon into view
    box = grid.get_by_role("button", name=last_name).bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + 6
    signed_in.mouse.move(start_x, start_y)
    signed_in.mouse.down()
    for step in range(1, 11):  # the grid drags after a few pixels of movement
        signed_in.mouse.move(start_x, start_y + (target_y - 2 - start_y) * step / 10)
    signed_in.mouse.up()
    expect(signed_in.get_by_role("status").filter(has_text="Запись перенесена")).to_be_visible()
    moved = appointment(api, booked["id"])
    assert moved["start"] == iso(api, day, "16:00")
    assert moved["version"] > booked["version"]
    expect(grid.get_by_role("button", name=last_name)).to_contain_text("16:00–16:30")


def test_a_move_onto_a_taken_time_snaps_back_and_says_why(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    moving, holder = unique("Неподвижнов"), unique("Держатель")
    booked = book(api, KUZNETSOV, day, "11:00", moving)
    book(api, KUZNETSOV, day, "11:30", holder)
    grid = open_schedule(signed_in, day)
    _, target_y = slot_point(signed_in, KUZNETSOV, "11:30")
    box = grid.get_by_role("button", name=moving).bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + 6
    signed_in.mouse.move(start_x, start_y)
    signed_in.mouse.down()
    for step in range(1, 11):
        signed_in.mouse.move(start_x, start_y + (target_y - 2 - start_y) * step / 10)
    signed_in.mouse.up()
    expect(signed_in.get_by_role("alert")).to_contain_text("пересекается")
    expect(grid.get_by_role("button", name=moving)).to_contain_text("11:00–")
    assert appointment(api, booked["id"])["start"] == iso(api, day, "11:00")


def test_an_appointment_booked_in_one_browser_appears_in_another_within_a_second(
    signed_in: Any, api: Any, browser: Any, web_platform: Any
) -> None:
    day = next_weekday(api)
    open_schedule(signed_in, day)
    other = new_page(browser, web_platform.base_url)
    try:
        log_in(other)
        other_grid = open_schedule(other, day)
        other.get_by_role("status").filter(has_text="Обновления в реальном времени").wait_for()
        last_name = unique("Живов")
        # The second browser notes the moment the name shows up (its clock, milliseconds since the epoch).
        other.evaluate(SEEN_AT, last_name)
        click_slot(signed_in, KUZNETSOV, "15:00")
        dialog = signed_in.get_by_role("dialog", name="Запись на приём")
        fill_primary_patient(dialog, last_name)
        with signed_in.expect_response(lambda r: r.url.endswith("/api/scheduling/appointments")) as answer:
            dialog.get_by_role("button", name="Записать").click()
        timing = answer.value.request.timing
        booked_at = timing["startTime"] + timing["responseEnd"]
        other_grid.get_by_role("button", name=last_name).wait_for()
        seen_at = other.evaluate("() => window.__seenAt")
        assert seen_at - booked_at < 1_000, f"seen {seen_at - booked_at:.0f} ms after the booking"
    finally:
        screenshot(other, "second_browser_sees_the_booking")
        other.context.close()


SEEN_AT = """name => {
    const look = () => [...document.querySelectorAll("[role=button]")].some((b) => b.textContent.includes(name));
    const observer = new MutationObserver(() => {
        if (look()) { window.__seenAt = Date.now(); observer.disconnect(); }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


def test_a_waiting_list_entry_is_booked_into_a_free_slot(signed_in: Any, api: Any) -> None:
    day = next_weekday(api)
    last_name = unique("Ожидаев")
    created = api.post(
        "/api/scheduling/waitlist",
        json={
            "patient": {"last_name": last_name, "first_name": "Тест"},
            "doctor_id": doctor_id(api, POPOVA),
            "wished_date": day,
            "duration_minutes": 30,
        },
    )
    assert created.status_code == 201, created.text
    grid = open_schedule(signed_in, day)
    waitlist = signed_in.get_by_role("complementary").get_by_role("region", name="Лист ожидания")
    entry_button = waitlist.get_by_role("button", name="Записать в расписание").filter(has_text=last_name)
    if entry_button.count() == 0:  # one button per entry: the entry is the row naming the patient
        entry_button = (
            waitlist.get_by_role("listitem")
            .filter(has_text=last_name)
            .get_by_role("button", name="Записать в расписание")
        )
    entry_button.click()
    expect(signed_in.get_by_role("status").filter(has_text=last_name)).to_be_visible()
    click_slot(signed_in, POPOVA, "16:00")
    dialog = signed_in.get_by_role("dialog", name="Запись на приём")
    expect(dialog).to_contain_text(last_name)
    dialog.get_by_role("button", name="Записать").click()
    expect(dialog).to_be_hidden()
    expect(grid.get_by_role("button", name=last_name)).to_contain_text("16:00–16:30")
    booked = find_appointment(api, POPOVA, day, last_name)
    assert booked is not None and booked["start"] == iso(api, day, "16:00")


def test_the_schedule_and_the_booking_dialog_have_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: Any
) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)  # axe is injected as a script
    try:
        log_in(page)
        open_schedule(page, next_weekday(api))
        assert axe_violations(page) == []
        page.get_by_role("button", name="Новая запись").click()
        page.get_by_role("dialog", name="Запись на приём").wait_for()
        assert axe_violations(page) == []
        screenshot(page, "booking_dialog_open")
    finally:
        page.context.close()
