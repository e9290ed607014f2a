"""The web app served at `/` (gateway/web.py): the built files with the right caching, client
routes falling back to the app, the API untouched, and a clear page when nothing is built."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

INDEX = (
    '<!doctype html><html lang="ru"><head><script type="module" src="/assets/index-abc123.js"></script></head></html>'
)
SCRIPT = "console.log('clinic');" * 40


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A web build as `make web` leaves it: index.html and hashed assets, each with a gzip twin."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "index.html.gz").write_bytes(gzip.compress(INDEX.encode()))
    (root / "assets" / "index-abc123.js").write_text(SCRIPT)
    (root / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    (tmp_path / "secret.txt").write_text("outside the build")
    return root


async def test_the_root_answers_the_app_and_is_never_cached(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("text/html")


async def test_a_client_route_falls_back_to_the_app(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        for path in ("/schedule", "/patients/4b1c", "/trash?x=1"):
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.text == INDEX


async def test_hashed_assets_are_cached_for_a_year(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/javascript")


async def test_a_browser_that_accepts_gzip_gets_the_compressed_twin(
    gateway_factory: Callable[..., Any], build: Path
) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(SCRIPT)
    assert response.text == SCRIPT  # httpx decodes it: the same script


async def test_a_missing_asset_is_not_the_app(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/assets/index-old999.js")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_nothing_outside_the_build_is_served(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        for path in ("/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt"):
            response = await client.get(path)
            assert "outside the build" not in response.text, path


async def test_a_file_of_the_builds_root_is_served_as_itself(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/robots.txt")
    assert response.text.startswith("User-agent")


async def test_unknown_api_paths_stay_api_problems(gateway_factory: Callable[..., Any], build: Path) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        for path in ("/api", "/api/", "/api/nothing-here"):
            response = await client.get(path)
            assert response.status_code in (401, 404), path
            assert response.headers["content-type"] == "application/problem+json", path


async def test_the_app_page_carries_its_content_security_policy(
    gateway_factory: Callable[..., Any], build: Path
) -> None:
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        response = await client.get("/schedule")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-eval'" not in policy
    assert "connect-src 'self'" in policy
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


async def test_without_a_build_the_root_says_how_to_build_it(
    gateway_factory: Callable[..., Any], tmp_path: Path
) -> None:
    async with gateway_factory(anonymous=True, web_dir=tmp_path / "not-built") as client:
        response = await client.get("/")
        api = await client.get("/api/auth/me")
    assert response.status_code == 503
    assert "make run" in response.text
    assert api.status_code == 401  # the API does not depend on the build


async def test_a_new_build_in_place_is_served_at_once(gateway_factory: Callable[..., Any], build: Path) -> None:
    """The files are held in memory once read; a file rewritten on disk is read again."""
    async with gateway_factory(anonymous=True, web_dir=build) as client:
        first = await client.get("/", headers={"Accept-Encoding": "identity"})
        rebuilt = INDEX.replace("index-abc123", "index-def456")
        (build / "index.html").write_text(rebuilt + "\n")
        second = await client.get("/", headers={"Accept-Encoding": "identity"})
    assert first.text == INDEX
    assert second.text == rebuilt + "\n"
