"""Every error answers RFC 9457 problem details; bad input never answers 500 nor echoes the input."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from clinic_shared import errors
from clinic_shared.errors import PROBLEM_JSON, install_error_handlers
from clinic_shared.problems import generic
from clinic_shared.secretbox import SecretUnreadable

SECRET_INPUT = "Ivanova-secret-input-7731"

ENGLISH = {"Accept-Language": "en"}  # the texts below are the English ones


class Item(BaseModel):
    name: str = Field(min_length=2)
    quantity: int


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise/{name}")
    async def raise_error(name: str) -> None:
        error_class = getattr(errors, name)
        raise error_class(f"{name} happened")

    @app.get("/conflict")
    async def conflict() -> None:
        raise errors.Conflict("Slot is taken", conflicting_id="a-1")

    @app.get("/throttled")
    async def throttled() -> None:
        raise errors.TooManyRequests("Slow down", retry_after=7)

    @app.get("/field")
    async def field() -> None:
        raise errors.ValidationFailed.field("birth_date", "must not be in the future")

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/search")
    async def search(limit: int = 10) -> dict[str, int]:
        return {"limit": limit}

    @app.get("/unreadable-secret")
    async def unreadable_secret() -> None:
        raise SecretUnreadable("the stored secret was encrypted with key k1, which CLINIC_SECRETS_KEY does not hold")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(f"database password=hunter2 for {SECRET_INPUT}")

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: Starlette re-raises unexpected errors after answering 500.
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=ENGLISH) as client:
        yield client


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("BadRequest", 400),
        ("Unauthorized", 401),
        ("Forbidden", 403),
        ("NotFound", 404),
        ("Conflict", 409),
        ("PayloadTooLarge", 413),
        ("UnsupportedMediaType", 415),
        ("ValidationFailed", 422),
        ("TooManyRequests", 429),
        ("ServiceUnavailable", 503),
    ],
)
async def test_clinic_errors_answer_their_status_as_problem_details(
    client: httpx.AsyncClient, name: str, status: int
) -> None:
    body = assert_problem(await client.get(f"/raise/{name}"), status)

    assert body["detail"] == f"{name} happened"
    assert body["title"] == getattr(errors, name).title
    code = generic(status).code
    assert body["type"] == f"/problems/{code}" and body["code"] == code
    assert body["instance"] == f"/raise/{name}"


async def test_extra_fields_of_an_error_are_part_of_the_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/conflict"), 409)

    assert body["conflicting_id"] == "a-1"


async def test_retry_after_becomes_a_header(client: httpx.AsyncClient) -> None:
    response = await client.get("/throttled")

    body = assert_problem(response, 429)
    assert response.headers["retry-after"] == "7"
    assert "retry_after" not in body


async def test_validation_failed_field_names_the_field(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/field"), 422)

    assert body["errors"] == [{"field": "birth_date", "code": "invalid", "message": "must not be in the future"}]


async def test_invalid_body_answers_422_naming_each_field(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/items", json={"name": "x", "quantity": "many"}), 422)

    assert {e["field"] for e in body["errors"]} == {"name", "quantity"}
    assert all(set(e) == {"field", "code", "message"} for e in body["errors"])


async def test_validation_errors_never_echo_the_input(client: httpx.AsyncClient) -> None:
    response = await client.post("/items", json={"name": "x", "quantity": SECRET_INPUT})

    assert_problem(response, 422)
    assert SECRET_INPUT not in response.text


async def test_missing_field_is_named(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/items", json={"name": "ok"}), 422)

    assert [e["field"] for e in body["errors"]] == ["quantity"]


async def test_invalid_json_body_answers_422_on_field_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/items", content=b'{"name": "' + SECRET_INPUT.encode() + b'", ', headers={"content-type": "application/json"}
    )

    body = assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["body"]
    assert SECRET_INPUT not in response.text


async def test_invalid_query_parameter_answers_422_naming_it(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/search", params={"limit": SECRET_INPUT}), 422)

    assert [e["field"] for e in body["errors"]] == ["limit"]


async def test_unknown_route_answers_404_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/no/such/route"), 404)

    assert body["title"] == "Not found"


async def test_wrong_method_answers_405_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.delete("/items"), 405)

    assert body["title"] == "Method not allowed"


async def test_unexpected_exception_answers_500_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom")

    body = assert_problem(response, 500)
    assert body["title"] == "Internal server error"
    for leaked in ("hunter2", SECRET_INPUT, "RuntimeError", "Traceback", "test_problem_details"):
        assert leaked not in response.text


async def test_credentials_the_secrets_key_cannot_open_answer_503_telling_to_restore_the_key(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/unreadable-secret")
    problem = assert_problem(response, 503)
    assert "secrets key" in str(problem["detail"])
