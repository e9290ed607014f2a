"""The web app in a real browser: Playwright (sync API) driving Debian's Chromium against the
whole platform served over HTTP with its demo data, as `make run` serves it (admin / admin).

One platform per test worker; each test opens its own browser context (its own cookies, so its
own session) and leaves a screenshot of what it ended on in test-artifacts/web/. Tests find
controls by role and label, the way a person (or a screen reader) does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from clinic_shared.testing.backends import Backends
from clinic_shared.testing.served import ServedPlatform

sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# The build the gateway serves: web/dist, or CLINIC_WEB_DIR (the gateway reads the same variable).
WEB_BUILD = Path(os.environ.get("CLINIC_WEB_DIR") or ROOT / "web" / "dist") / "index.html"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN = ("admin", "admin")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture(scope="session")
def web_platform(backends: Backends, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlatform]:
    assert WEB_BUILD.exists(), "the web app is not built: run the tests through `make test` (it runs `make web`)"
    served = ServedPlatform(
        backends,
        tmp_path_factory.mktemp("web") / "var",
        settings_extra={"demo_data": True, "admin_password": SecretStr(ADMIN[1])},
        # As `make run`: the outside world simulated in-process (SMS and mail boxes, ONDOC, the lab).
        service_overrides={"notifier_fakes": True, "ondoc_fake": True, "lab_fake_exchange": True},
        admin_password=ADMIN[1],
    )
    served.start()
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not longer: while Playwright's sync API runs, the main thread
    has an event loop running, and async tests after it in the same process could not run theirs."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def new_page(browser: Any, base_url: str, **options: Any) -> Any:
    """A page in a new context. The browser's zone (UTC+5) is not the clinic's (Moscow, UTC+3): the app
    must show the clinic's clock."""
    context = browser.new_context(
        base_url=base_url,
        locale="ru-RU",
        timezone_id="Asia/Yekaterinburg",
        viewport={"width": 1600, "height": 1000},
        **options,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any, web_platform: ServedPlatform, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context on the app, not logged in; a screenshot is kept at the end."""
    opened = new_page(browser, web_platform.base_url)
    try:
        yield opened
    finally:
        screenshot(opened, request.node.name)
        opened.context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # a page that crashed still lets the test report why
        print(f"no screenshot of {name}: {exc}")
    return path


def log_in(page: Any, username: str = ADMIN[0], password: str = ADMIN[1]) -> None:
    page.goto("/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Выйти").wait_for()


@pytest.fixture
def signed_in(page: Any) -> Any:
    """The page after logging in as the administrator."""
    log_in(page)
    return page


@pytest.fixture
def api(web_platform: ServedPlatform) -> Iterator[httpx.Client]:
    """The administrator's API client, to prepare what a test needs (Russian texts, as the app gets)."""
    with web_platform.client(headers={**web_platform.admin_headers, "Accept-Language": "ru"}) as client:
        yield client


def axe_violations(page: Any, impact: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on what the page shows now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result
        if v["impact"] in impact
    ]
