"""The OpenAPI document says where `If-Match` is honoured (412) and required (428), and which
answers carry an `ETag` (clinic_shared.openapi), as the code behind each route does."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from fastapi import FastAPI, Response

from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.errors import PROBLEM_JSON, install_error_handlers

ROW = SimpleNamespace(version=3)


async def _change(*, version_from: str | None, required: bool = False) -> None:
    """A service function: the check is two calls away from the route."""
    await _locked(version_from, required)


async def _locked(tag: str | None, required: bool) -> None:
    check_if_match(tag, ROW, None, required=required)


async def _change_required(*, version_from: str | None) -> None:
    await _locked_required(version_from)


async def _locked_required(tag: str | None) -> None:
    check_if_match(tag, ROW, None, required=True)


def document() -> dict[str, Any]:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: uuid.UUID, response: Response) -> dict[str, str]:
        set_etag(response, ROW)
        return {"id": str(thing_id)}

    @app.get("/things")
    async def list_things() -> list[str]:
        return []

    @app.patch("/things/{thing_id}")
    async def honour(thing_id: uuid.UUID, response: Response, if_match: IfMatch = None) -> dict[str, str]:
        check_if_match(if_match, ROW, None)
        response.headers["ETag"] = '"4"'
        return {}

    @app.put("/things/{thing_id}")
    async def require_directly(thing_id: uuid.UUID, if_match: IfMatch = None) -> dict[str, str]:
        check_if_match(if_match, ROW, None, required=True)
        return {}

    @app.delete("/things/{thing_id}")
    async def require_through_services(thing_id: uuid.UUID, if_match: IfMatch = None) -> None:
        await _change_required(version_from=if_match)

    @app.post("/things/{thing_id}/archive")
    async def required_elsewhere_but_not_here(thing_id: uuid.UUID, if_match: IfMatch = None) -> None:
        check_if_match('"3"', ROW, None, required=True)  # required, but not the header's value
        await _change(version_from=if_match)  # the header's value, honoured only (`required` not True)

    return app.openapi()


def _responses(method: str, path: str = "/things/{thing_id}") -> dict[str, Any]:
    return document()["paths"][path][method]["responses"]  # type: ignore[no-any-return]


def test_an_operation_taking_if_match_declares_412_with_the_current_version() -> None:
    answer = _responses("patch")["412"]
    schema = answer["content"][PROBLEM_JSON]["schema"]
    assert schema["allOf"][0] == {"$ref": "#/components/schemas/Problem"}
    assert set(schema["allOf"][1]["properties"]) == {"current_version", "etag"}


def test_an_operation_without_if_match_declares_no_412() -> None:
    assert "412" not in _responses("get") and "428" not in _responses("get")


def test_if_match_only_honoured_declares_no_428() -> None:
    assert "428" not in _responses("patch")


def test_if_match_required_where_the_route_checks_it_declares_428() -> None:
    answer = _responses("put")["428"]
    assert set(answer["content"][PROBLEM_JSON]["schema"]["allOf"][1]["properties"]) == {"current_version", "etag"}


def test_if_match_required_in_the_functions_the_route_calls_declares_428() -> None:
    assert "428" in _responses("delete")


def test_a_required_check_the_header_does_not_reach_declares_no_428() -> None:
    assert "412" in _responses("post", "/things/{thing_id}/archive")
    assert "428" not in _responses("post", "/things/{thing_id}/archive")


def test_an_answer_with_an_etag_declares_the_header() -> None:
    assert _responses("get")["200"]["headers"]["ETag"]["schema"] == {"type": "string"}
    assert "ETag" in _responses("patch")["200"]["headers"]


def test_an_answer_without_an_etag_declares_none() -> None:
    assert "headers" not in _responses("get", "/things")["200"]
    assert "headers" not in _responses("put")["200"]
