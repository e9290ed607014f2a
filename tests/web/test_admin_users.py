"""«Пользователи и права» (GW-2, GW-3): users, roles with the rights catalogue, the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import axe_violations, log_in, new_page, screenshot

PASSWORD = "Kedr-Vyaz-4817"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def open_tab(page: Any, tab: str) -> None:
    page.goto("/admin/users")
    page.get_by_role("navigation", name="Разделы пользователей и прав").get_by_role("link", name=tab).click()


def user_actions(page: Any, username: str) -> Any:
    return page.get_by_role("group", name=f"Действия с пользователем {username}")


def create_user(api: Any, username: str, roles: list[str]) -> dict[str, Any]:
    response = api.post("/api/auth/users", json={"username": username, "password": PASSWORD, "roles": roles})
    response.raise_for_status()
    return response.json()


def test_a_role_with_two_rights_shows_its_user_only_those_sections(
    signed_in: Any, browser: Any, web_platform: Any
) -> None:
    role, username = unique("reception-"), unique("web.user.")
    open_tab(signed_in, "Роли")
    signed_in.get_by_role("button", name="Добавить роль").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_label("Название").fill(role)
    dialog.get_by_label("Описание").fill("Регистратура: только просмотр")
    dialog.get_by_role("checkbox", name="scheduling.read").check()
    dialog.get_by_role("checkbox", name="patients.read").check()
    screenshot(signed_in, "admin_users_role_form")
    dialog.get_by_role("button", name="Сохранить").click()
    dialog.wait_for(state="detached")
    role_row = signed_in.get_by_role("row").filter(has_text=role)
    assert role_row.get_by_role("cell").nth(2).inner_text() == "patients.read, scheduling.read"

    open_tab(signed_in, "Пользователи")
    signed_in.get_by_role("button", name="Добавить пользователя").click()
    dialog = signed_in.get_by_role("dialog")
    dialog.get_by_label("Логин").fill(username)
    dialog.get_by_label("ФИО").fill("Иванова Мария Петровна")
    dialog.get_by_label("Пароль").fill(PASSWORD)
    dialog.get_by_role("group", name="Роли").get_by_role("checkbox", name=role).check()
    dialog.get_by_role("button", name="Сохранить").click()
    dialog.wait_for(state="detached")
    user_actions(signed_in, username).wait_for()
    screenshot(signed_in, "admin_users_list")

    page = new_page(browser, web_platform.base_url)
    try:
        log_in(page, username, PASSWORD)
        menu = page.get_by_role("navigation", name="Разделы")
        links = [link.inner_text() for link in menu.get_by_role("link").all()]
        assert links == ["Расписание", "Пациенты", "Поиск записей", "Поиск свободного времени", "Корзина"]
        assert page.get_by_role("link", name="Настройки").count() == 0
        screenshot(page, "admin_users_limited_user")
    finally:
        page.context.close()


def test_deactivating_a_user_ends_their_session(signed_in: Any, api: Any, browser: Any, web_platform: Any) -> None:
    username = unique("leaving.")
    create_user(api, username, [])
    page = new_page(browser, web_platform.base_url)
    try:
        log_in(page, username, PASSWORD)
        open_tab(signed_in, "Пользователи")
        user_actions(signed_in, username).get_by_role("button", name="Отключить").click()
        user_actions(signed_in, username).get_by_role("button", name="Включить").wait_for()
        assert "Отключён" in signed_in.get_by_role("row").filter(has_text=username).inner_text()
        page.reload()
        page.get_by_role("button", name="Войти").wait_for()
        screenshot(page, "admin_users_deactivated_user_page")
    finally:
        page.context.close()


def test_the_audit_log_lists_a_users_creation(signed_in: Any, api: Any) -> None:
    username = unique("audited.")
    create_user(api, username, [])
    open_tab(signed_in, "Журнал аудита")
    signed_in.get_by_label("Действие").select_option(label="Пользователь создан")
    signed_in.get_by_role("button", name="Найти").click()
    row = signed_in.get_by_role("row").filter(has_text=username)
    row.wait_for()
    cells = [cell.inner_text() for cell in row.get_by_role("cell").all()]
    assert cells[1] == "admin"
    assert cells[2] == "Пользователь создан"
    assert cells[3] == username
    screenshot(signed_in, "admin_users_audit")


def test_granting_a_right_one_does_not_hold_is_refused_with_the_api_message(
    api: Any, browser: Any, web_platform: Any
) -> None:
    manager_role, manager = unique("user-manager-"), unique("manager.")
    api.post(
        "/api/auth/roles", json={"name": manager_role, "rights": ["gateway.users", "scheduling.read"]}
    ).raise_for_status()
    create_user(api, manager, [manager_role])
    page = new_page(browser, web_platform.base_url)
    try:
        log_in(page, manager, PASSWORD)
        open_tab(page, "Роли")
        page.get_by_role("button", name="Добавить роль").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Название").fill(unique("too-much-"))
        dialog.get_by_role("checkbox", name="patients.read").check()
        dialog.get_by_role("button", name="Сохранить").click()
        refusal = dialog.get_by_role("alert")
        refusal.wait_for()
        assert "patients.read" in refusal.inner_text()
        assert dialog.is_visible()
        screenshot(page, "admin_users_grant_refused")
    finally:
        page.context.close()


def test_a_users_live_sessions_are_listed(signed_in: Any, api: Any, browser: Any, web_platform: Any) -> None:
    username = unique("session.")
    create_user(api, username, [])
    page = new_page(browser, web_platform.base_url)
    try:
        log_in(page, username, PASSWORD)
        open_tab(signed_in, "Пользователи")
        user_actions(signed_in, username).get_by_role("button", name="Сеансы", exact=True).click()
        dialog = signed_in.get_by_role("dialog", name=f"Сеансы пользователя {username}")
        dialog.get_by_role("row").nth(1).wait_for()
        assert dialog.get_by_role("row").count() == 2  # the header and the one session
        screenshot(signed_in, "admin_users_sessions")
        dialog.get_by_role("button", name="Закрыть").click()
        user_actions(signed_in, username).get_by_role("button", name="Завершить все сеансы").click()
        signed_in.get_by_role("status").filter(has_text="завершены").wait_for()
        page.reload()
        page.get_by_role("button", name="Войти").wait_for()
    finally:
        page.context.close()


def test_each_users_and_rights_screen_has_no_serious_accessibility_violation(browser: Any, web_platform: Any) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)
    try:
        log_in(page)
        open_tab(page, "Пользователи")
        page.get_by_role("group", name="Действия с пользователем admin").wait_for()
        assert axe_violations(page) == []
        open_tab(page, "Роли")
        page.get_by_role("button", name="Добавить роль").click()
        page.get_by_role("checkbox", name="scheduling.read").wait_for()
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        open_tab(page, "Журнал аудита")
        page.get_by_role("row").nth(1).wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
