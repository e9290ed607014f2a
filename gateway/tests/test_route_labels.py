"""The gateway labels a proxied call by its service and the service's route template, never by
the raw path (gateway/metrics.py)."""

from __future__ import annotations

import asyncio
import socket
import uuid
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute

from clinic_shared.middleware import UNMATCHED
from clinic_shared.testing.platform import Scrape
from gateway.metrics import RouteLabels, RouteTable

# Labels come from route tables, never from the database or the broker: CI's PostgreSQL + RabbitMQ
# pass leaves these out.
pytestmark = pytest.mark.backend_free

ROUTES = [
    ("/appointments", ["GET", "POST"]),
    ("/appointments/export", ["GET"]),
    ("/appointments/{appointment_id}", ["GET", "PATCH", "DELETE"]),
    ("/appointments/{appointment_id}/status", ["POST"]),
    ("/files/{name:path}", ["GET"]),
]


def test_a_path_gets_its_template_the_first_declared_winning() -> None:
    table = RouteTable(ROUTES)
    some_id = str(uuid.uuid4())
    assert table.match("GET", "appointments") == "/appointments"
    assert table.match("GET", "appointments/export") == "/appointments/export"
    assert table.match("GET", f"appointments/{some_id}") == "/appointments/{appointment_id}"
    assert table.match("POST", f"appointments/{some_id}/status") == "/appointments/{appointment_id}/status"
    assert table.match("GET", "files/a/b/c.pdf") == "/files/{name:path}"


def test_the_method_picks_between_templates_of_one_path() -> None:
    # `export` is a literal for GET only; a PATCH of it is the parameter route's, as the service routes it.
    table = RouteTable(ROUTES)
    assert table.match("PATCH", "appointments/export") == "/appointments/{appointment_id}"
    # No template allows PUT (the service answers 405): the first template of the path names it.
    assert table.match("PUT", "appointments/export") == "/appointments/export"


def test_an_unknown_path_gets_the_one_fixed_label() -> None:
    table = RouteTable(ROUTES)
    for path in ("", "nothing", "appointments/1/2/3", "appointments/", f"x/{uuid.uuid4()}"):
        assert table.match("GET", path) == UNMATCHED
    assert RouteTable([]).match("GET", "appointments") == UNMATCHED
    assert RouteLabels().label("nobody", "GET", "appointments") == UNMATCHED


def test_regex_characters_in_a_template_are_literal() -> None:
    table = RouteTable([("/a.b/{x}", ["GET"])])
    assert table.match("GET", "a.b/1") == "/a.b/{x}"
    assert table.match("GET", "aXb/1") == UNMATCHED


def test_the_service_apps_routes_and_its_openapi_document_give_the_same_table() -> None:
    from scheduling.app import create_app

    app = create_app()
    from_app, from_document = RouteTable.from_app(app), RouteTable.from_openapi(app.openapi())
    assert from_app.templates == from_document.templates
    assert "/appointments/{appointment_id}" in from_app.templates
    routes = [r for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema]
    for route in routes:
        path = route.path_format.replace("{", "").replace("}", "")  # each parameter: a value of its own name
        for method in route.methods:
            assert from_app.match(method, path.removeprefix("/")) == from_document.match(method, path[1:])


def a_service(*templates: str) -> FastAPI:
    app = FastAPI()
    for template in templates:
        app.add_api_route(template, lambda: {"ok": True}, methods=["GET"])
    return app


async def test_remote_services_tables_are_fetched_again_until_they_answer_and_when_stale() -> None:
    """Distributed mode: the tables come from each service's /openapi.json, fetched in the background."""
    service = a_service("/v1/{item_id}")
    down = {"down": True}

    async def flaky(request: httpx.Request) -> httpx.Response:
        if down["down"]:
            raise httpx.ConnectError("refused")
        return await httpx.ASGITransport(app=service).handle_async_request(request)

    labels = RouteLabels()
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(flaky), base_url="http://svc") as client,
        labels.kept_current({"svc": client}, retry_seconds=0.05, check_seconds=0.2),
    ):
        await wait_until(lambda: labels.wanted(["svc"]) == ["svc"])
        assert labels.label("svc", "GET", "v1/7") == UNMATCHED  # not known yet
        down["down"] = False
        await wait_until(lambda: labels.label("svc", "GET", "v1/7") == "/v1/{item_id}")
        # The service was upgraded: a path its old table lacks answers 200, so the table is fetched again.
        service.add_api_route("/v2/{item_id}", lambda: {"ok": True}, methods=["GET"])
        service.openapi_schema = None
        assert labels.label("svc", "GET", "v2/7") == UNMATCHED
        labels.answered_unmatched("svc", 404)
        assert labels.wanted(["svc"]) == []  # a 404 is just an unknown path
        labels.answered_unmatched("svc", 200)
        await wait_until(lambda: labels.label("svc", "GET", "v2/7") == "/v2/{item_id}")


async def wait_until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_proxied_calls_are_labelled_by_service_and_template(gateway_factory: Any) -> None:
    async with gateway_factory({"echo": a_service("/things/{thing_id}")}) as client:
        ids = [str(uuid.uuid4()) for _ in range(3)]
        for thing in ids:
            assert (await client.get(f"/api/echo/things/{thing}")).status_code == 200
        assert (await client.get(f"/api/echo/unknown/{ids[0]}")).status_code == 404
        assert (await client.get(f"/api/nobody/{ids[0]}")).status_code == 404
        assert (await client.get("/api/echo/metrics")).status_code == 404  # never proxied
        text = (await client.get("/metrics")).text
    scrape = Scrape.parse(text)
    labels = {"service": "gateway", "method": "GET"}
    assert scrape.value("http_requests_total", **labels, upstream="echo", route="/things/{thing_id}", status="200") == 3
    assert scrape.value("http_requests_total", **labels, upstream="echo", route=UNMATCHED, status="404") == 1
    assert scrape.value("http_requests_total", **labels, upstream="gateway", route=UNMATCHED, status="404") == 2
    assert scrape.value("http_request_duration_seconds_count", **labels, upstream="echo", route="/things/{thing_id}")
    # The gateway's own routes: upstream is the gateway itself.
    login = {"service": "gateway", "upstream": "gateway", "method": "POST", "route": "/api/auth/token"}
    assert scrape.value("http_requests_total", **login, status="200") == 1
    assert not any(thing in text for thing in ids)
    assert "/api/{service}/{path:path}" not in text


async def test_a_distributed_gateway_learns_the_templates_from_the_services_document(gateway_factory: Any) -> None:
    """The gateway forwarding over HTTP (no service code in its process) labels by the template
    it read from the service's /openapi.json at start."""
    service = a_service("/cards/{card_id}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(service, host="127.0.0.1", port=port, log_config=None, access_log=False))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        async with gateway_factory({}, service_urls={"patients": f"http://127.0.0.1:{port}"}) as client:
            labels = {"service": "gateway", "upstream": "patients", "method": "GET", "route": "/cards/{card_id}"}
            async with asyncio.timeout(10):
                while True:  # the document is fetched in the background as the gateway starts
                    assert (await client.get("/api/patients/cards/7")).status_code == 200
                    scrape = Scrape.parse((await client.get("/metrics")).text)
                    if scrape.value("http_requests_total", **labels, status="200"):
                        break
                    await asyncio.sleep(0.05)
    finally:
        server.should_exit = True
        await serving
