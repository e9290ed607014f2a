"""The API's pages in a real browser on a network without internet: `/api/docs` and `/api/redoc`
render from the gateway alone, and Swagger UI logs in with a username and password.

The whole embedded platform is served by uvicorn on 127.0.0.1 and opened in Debian's Chromium
(/usr/bin/chromium) driven by Playwright. Every request for another host is aborted and
recorded; the pages' Content-Security-Policy violations are recorded too (a request the policy
refuses never leaves the browser, so it would not show up among the aborted ones). Screenshots
are left in the test's tmp_path.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from pydantic import SecretStr

from gateway.embedded import build_platform
from gateway.settings import GatewaySettings

async_api = pytest.importorskip("playwright.async_api")

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.backend_free,  # the docs' pages and files, not the data
]
# Without the background-networking flags Chromium phones home at start (refused here anyway).
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
TIMEOUT_MS = 120_000  # the merged document of every service, on a busy machine
# ReDoc's sidebar credit ("API docs by Redocly") always tries its vendor's logo from a CDN; the
# pages' policy refuses it before any request is made, and the credit shows without the image.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.blockedURI));
"""


@pytest.fixture
def platform_services() -> list[str] | None:
    return None  # the whole platform: the page must render every service's operations


@pytest.fixture
async def served_platform(settings_overrides: dict[str, Any], jwt_keys: tuple[str, str]) -> AsyncIterator[str]:
    """The embedded platform behind uvicorn on 127.0.0.1 (admin / admin, as `make run`); its URL."""
    settings = GatewaySettings(
        **settings_overrides,
        jwt_private_key=SecretStr(jwt_keys[0]),
        admin_password=SecretStr("admin"),
        password_hash_time_cost=1,
        password_hash_memory_kib=64,
    )
    app = build_platform(settings)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # bound here: a port picked and bound later may be taken in between
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on"))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        async with asyncio.timeout(120):
            while not server.started:
                if serving.done():
                    serving.result()
                    raise RuntimeError("the platform stopped while starting")
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serving
        listener.close()


@dataclass
class Offline:
    """What a page asked the network for: the gateway's URLs pass, any other host is refused."""

    gateway_requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    async def route(self, route: Any) -> None:
        request = route.request
        if urlsplit(request.url).hostname == "127.0.0.1":
            self.gateway_requests.append(f"{request.method} {urlsplit(request.url).path}")
            await route.continue_()
        else:
            self.external.append(request.url)
            await route.abort("internetdisconnected")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with async_api.async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def offline_page(browser: Any) -> tuple[Any, Offline, list[str]]:
    """A new page with no internet; also the script errors it meets."""
    page = await browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    offline = Offline()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.route("**/*", offline.route)
    await page.add_init_script(RECORD_VIOLATIONS)
    return page, offline, errors


async def test_swagger_ui_renders_offline_and_logs_in_with_a_username_and_password(
    served_platform: str, browser: Any, tmp_path: Path
) -> None:
    page, offline, errors = await offline_page(browser)
    await page.goto(f"{served_platform}/api/docs")
    # "\/": Playwright's role selector cannot parse a bare slash in a pattern
    me = page.get_by_role("button", name=re.compile(r"^GET \/api\/auth\/me\b"))
    await me.wait_for()
    assert await page.get_by_role("button", name=re.compile(r"^(GET|POST|PUT|PATCH|DELETE) \/api\/")).count() > 200
    await page.screenshot(path=tmp_path / "swagger-ui.png")

    await page.get_by_role("button", name="Authorize", exact=True).click()
    await page.get_by_role("textbox", name="username:").fill("admin")
    await page.get_by_role("textbox", name="password:").fill("admin")
    await page.get_by_role("button", name="Apply given OAuth2 credentials").click()
    await page.get_by_role("button", name="Remove authorization").wait_for()  # Swagger UI holds a token now
    await page.screenshot(path=tmp_path / "swagger-ui-authorized.png")
    await page.get_by_role("button", name="Close").first.click()

    await me.click()
    await page.get_by_role("button", name="Try it out").click()
    await page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table tbody tr.response")
    await answer.wait_for()
    await answer.scroll_into_view_if_needed()
    await page.screenshot(path=tmp_path / "swagger-ui-executed.png")

    assert (await answer.locator(".response-col_status").inner_text()).strip() == "200"
    assert '"username": "admin"' in await answer.locator(".response-col_description").inner_text()
    assert "POST /api/auth/token" in offline.gateway_requests
    assert offline.external == []
    assert await page.evaluate("window.__violations") == []
    assert errors == []


async def test_redoc_renders_offline(served_platform: str, browser: Any, tmp_path: Path) -> None:
    page, offline, errors = await offline_page(browser)
    await page.goto(f"{served_platform}/api/redoc")
    await page.get_by_role("heading", name=re.compile(r"^Clinic platform API")).wait_for()
    operation = page.get_by_role("heading", name="The current user and the rights in their token")
    await operation.wait_for()
    await page.screenshot(path=tmp_path / "redoc.png")
    await operation.scroll_into_view_if_needed()
    await page.screenshot(path=tmp_path / "redoc-operation.png")

    assert "GET /api/openapi.json" in offline.gateway_requests
    assert offline.external == []
    assert set(await page.evaluate("window.__violations")) <= {REDOC_LOGO}
    assert errors == []
