"""«Вход»: the first screen, logging in and out, and the session kept across a reload."""

from __future__ import annotations

from typing import Any

from conftest import axe_violations, log_in, new_page


def test_the_first_screen_is_the_login_page(page: Any) -> None:
    page.goto("/")
    assert page.get_by_label("Логин").is_visible()
    assert page.get_by_label("Пароль").is_visible()
    assert page.get_by_role("button", name="Войти").is_visible()


def test_a_wrong_password_is_refused_with_a_message(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Логин").fill("admin")
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()
    assert "Неверный логин или пароль" in page.get_by_role("alert").inner_text()


def test_logging_in_opens_the_schedule(page: Any) -> None:
    log_in(page)
    page.wait_for_url("**/schedule")
    assert page.get_by_role("link", name="Расписание").is_visible()


def test_a_reload_keeps_the_session(page: Any) -> None:
    log_in(page)
    page.reload()
    page.get_by_role("button", name="Выйти").wait_for()


def test_logging_out_ends_the_session(page: Any) -> None:
    log_in(page)
    page.get_by_role("button", name="Выйти").click()
    page.get_by_role("button", name="Войти").wait_for()
    page.reload()
    page.get_by_role("button", name="Войти").wait_for()


def test_the_login_page_has_no_serious_accessibility_violation(browser: Any, web_platform: Any) -> None:
    page = new_page(browser, web_platform.base_url, bypass_csp=True)  # axe is injected as a script
    try:
        page.goto("/")
        page.get_by_label("Логин").wait_for()
        assert axe_violations(page) == []
    finally:
        page.context.close()
