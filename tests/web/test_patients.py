"""«Пациенты»: finding a card, editing it, the API's messages next to the fields, the card's
appointments (SCH-18), delete and restore, and accessibility of the search and the card."""

from __future__ import annotations

import re
from typing import Any

import httpx
from conftest import axe_violations, log_in, new_page
from patients_steps import MOROZOV, book, card, create_card, next_weekday, ru_date, unique, unique_mobile
from playwright.sync_api import expect


def search_for(page: Any, text: str) -> None:
    page.goto("/patients")
    page.get_by_label("Поиск пациента").fill(text)
    page.get_by_role("button", name="Найти").click()


def test_card_search_finds_a_card_by_surname(signed_in: Any, api: httpx.Client) -> None:
    surname = unique("Поисковая")
    created = create_card(api, surname, birth_date="1985-03-07")
    search_for(signed_in, surname)
    row = signed_in.get_by_role("row").filter(has=signed_in.get_by_role("link", name=f"{surname} Мария Петровна"))
    expect(row).to_contain_text(created["card_number"])
    expect(row).to_contain_text("07.03.1985")


def test_card_search_finds_a_card_by_phone(signed_in: Any, api: httpx.Client) -> None:
    surname = unique("Телефонная")
    phone = unique_mobile()
    create_card(api, surname, mobile_phone=phone)
    formatted = f"+7 ({phone[1:4]}) {phone[4:7]}-{phone[7:9]}-{phone[9:]}"
    search_for(signed_in, formatted)
    row = signed_in.get_by_role("row").filter(has=signed_in.get_by_role("link", name=f"{surname} Мария Петровна"))
    expect(row).to_contain_text(formatted)
    expect(signed_in.get_by_role("link", name=re.compile("Мария Петровна"))).to_have_count(1)


def test_opening_a_found_card_and_editing_its_address_saves_it(signed_in: Any, api: httpx.Client) -> None:
    surname = unique("Адресная")
    created = create_card(api, surname)
    search_for(signed_in, surname)
    signed_in.get_by_role("link", name=f"{surname} Мария Петровна").click()
    signed_in.wait_for_url(f"**/patients/{created['id']}")
    signed_in.get_by_label("Адрес", exact=True).fill("г. Москва, ул. Тверская, д. 1")
    signed_in.get_by_role("button", name="Сохранить").click()
    expect(signed_in.get_by_role("status").filter(has_text="Карта сохранена")).to_be_visible()
    assert card(api, created["id"])["address"] == "г. Москва, ул. Тверская, д. 1"
    expect(signed_in.get_by_role("cell", name=re.compile("Адрес: — → г. Москва"))).to_be_visible()


def test_an_invalid_phone_shows_the_api_message_next_to_the_field(signed_in: Any, api: httpx.Client) -> None:
    created = create_card(api, unique("Неверная"))
    signed_in.goto(f"/patients/{created['id']}")
    phone = signed_in.get_by_label("Мобильный телефон", exact=True)
    phone.fill("12")
    signed_in.get_by_role("button", name="Сохранить").click()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("номер телефона"))
    assert card(api, created["id"])["mobile_phone"] is None


def test_saving_a_card_changed_meanwhile_by_someone_else_asks_to_reload(signed_in: Any, api: httpx.Client) -> None:
    created = create_card(api, unique("Спорная"))
    signed_in.goto(f"/patients/{created['id']}")
    note = signed_in.get_by_label("Примечание", exact=True)
    note.fill("Моё примечание")
    changed = api.patch(
        f"/api/patients/cards/{created['id']}", json={"address": "Чужой адрес"}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    signed_in.get_by_role("button", name="Сохранить").click()
    expect(signed_in.get_by_role("alert")).to_contain_text("Карту изменил другой пользователь")
    signed_in.get_by_role("button", name="Загрузить заново").click()
    expect(signed_in.get_by_label("Адрес", exact=True)).to_have_value("Чужой адрес")
    assert card(api, created["id"])["note"] is None


def test_a_card_shows_its_upcoming_appointment(signed_in: Any, api: httpx.Client) -> None:
    created = create_card(api, unique("Записанная"))
    day = next_weekday(api)
    booked = book(api, MOROZOV, day, ["15:00", "15:30", "16:00"], card_id=created["id"])
    signed_in.goto(f"/patients/{created['id']}")
    upcoming = signed_in.get_by_role("table", name=re.compile("Предстоящие"))
    link = upcoming.get_by_role("link", name=re.compile(ru_date(day)))
    expect(link).to_have_attribute("href", f"/appointments/{booked['id']}")
    expect(upcoming).to_contain_text("Морозов")


def test_a_deleted_card_is_found_with_deleted_cards_and_restored(signed_in: Any, api: httpx.Client) -> None:
    surname = unique("Удалённая")
    created = create_card(api, surname)
    signed_in.goto(f"/patients/{created['id']}")
    signed_in.get_by_role("button", name="Удалить").click()
    signed_in.get_by_role("dialog").get_by_role("button", name="Удалить").click()
    expect(signed_in.get_by_text("Карта удалена: она скрыта из поиска")).to_be_visible()
    search_for(signed_in, surname)
    expect(signed_in.get_by_role("status").filter(has_text="Ничего не найдено")).to_be_visible()
    signed_in.get_by_label("Показать удалённые").check()
    signed_in.get_by_role("button", name=f"Восстановить карту {surname} Мария Петровна").click()
    expect(signed_in.get_by_role("status").filter(has_text="Карта восстановлена")).to_be_visible()
    assert card(api, created["id"])["deleted"] is False


def test_a_new_card_made_in_the_dialog_opens_with_its_number(signed_in: Any, api: httpx.Client) -> None:
    surname = unique("Новая")
    signed_in.goto("/patients")
    signed_in.get_by_role("button", name="Новая карта").click()
    dialog = signed_in.get_by_role("dialog", name="Новая карта")
    dialog.get_by_label("Фамилия", exact=False).fill(surname)
    dialog.get_by_label("Имя", exact=False).fill("Ольга")
    dialog.get_by_label("Отчество").fill("Ивановна")
    dialog.get_by_role("button", name="Сохранить").click()
    signed_in.wait_for_url(re.compile(r"/patients/[0-9a-f-]{36}$"))
    found = api.get("/api/patients/cards", params={"q": surname}).json()["items"]
    assert [(c["first_name"], c["sex"]) for c in found] == [("Ольга", "female")]  # sex from the patronymic
    expect(signed_in.get_by_role("heading", level=1)).to_contain_text(f"карта № {found[0]['card_number']}")


def test_giving_the_paper_card_out_to_a_doctor_shows_where_it_is(signed_in: Any, api: httpx.Client) -> None:
    created = create_card(api, unique("Выданная"))
    signed_in.goto(f"/patients/{created['id']}")
    paper = signed_in.get_by_role("region", name="Выдача карты")
    paper.get_by_label("Врач").select_option(label="Морозов С. Е.")
    paper.get_by_role("button", name="Выдать карту").click()
    expect(paper).to_contain_text("Карта выдана: Морозов С. Е.")
    assert card(api, created["id"])["out_of_archive"]["recipient_name"] == "Морозов С. Е."
    paper.get_by_role("button", name="Вернуть в архив").click()
    expect(paper).to_contain_text("Карта в архиве.")
    assert card(api, created["id"])["out_of_archive"] is None


def test_the_patients_page_has_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    create_card(api, unique("Доступная"), birth_date="2015-05-05", vip=True)
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        page.goto("/patients")
        page.get_by_label("Поиск пациента").fill("Доступная")
        expect(page.get_by_role("link", name=re.compile("^Доступная"))).not_to_have_count(0)
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_the_card_page_has_no_serious_accessibility_violation(
    browser: Any, web_platform: Any, api: httpx.Client
) -> None:
    created = create_card(api, unique("Доступная"), mobile_phone=unique_mobile(), birth_date="1990-01-02")
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        page.goto(f"/patients/{created['id']}")
        expect(page.get_by_role("heading", name="Журнал изменений")).to_be_visible()
        expect(page.get_by_role("cell", name="Создана")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        page.context.close()
