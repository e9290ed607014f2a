"""Abuse of the HTTP layer through the gateway, over real HTTP: every answer a 4xx problem.

Oversized and lying bodies, JSON nested deeper than any parser should follow, numbers longer
than Python converts, invalid UTF-8, huge query strings and the wrong content types — on a
JSON route of every service.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from clinic_shared.testing.served import ServedPlatform

PROBLEM = "application/problem+json"
JSON_ROUTES = [
    ("POST", "/api/auth/users"),
    ("POST", "/api/patients/cards"),
    ("POST", "/api/scheduling/buildings"),
    ("POST", "/api/notifier/schedules"),
    ("PUT", "/api/ondoc/settings"),
    ("POST", "/api/profexam/organizations"),
    ("POST", "/api/lab/labs"),
]
BAD_BODIES = {
    "nested-100000-deep": b"[" * 100_000 + b"]" * 100_000,
    "object-nested-100000-deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "integer-of-5000-digits": b'{"name": ' + b"9" * 5000 + b"}",
    "invalid-utf8": b'{"name": "\xff\xfe\xfa"}',
    "truncated": b'{"name": "abc',
    "nan-and-infinity": b'{"name": NaN, "code": Infinity}',
    "not-an-object": b'"just a string"',
    "empty": b"",
}


def request(platform: ServedPlatform, method: str, url: str, **kwargs: object) -> httpx.Response:
    with platform.client() as client:
        return client.request(method, url, **kwargs)  # type: ignore[arg-type]


def assert_problem(response: httpx.Response, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == response.status_code


@pytest.mark.parametrize(("method", "route"), JSON_ROUTES)
@pytest.mark.parametrize("body", sorted(BAD_BODIES))
def test_a_malformed_json_body_is_a_4xx_problem(
    served_platform: ServedPlatform, method: str, route: str, body: str
) -> None:
    headers = {**served_platform.admin_headers, "Content-Type": "application/json"}
    response = request(served_platform, method, route, content=BAD_BODIES[body], headers=headers)
    assert_problem(response, 400, 422)


@pytest.mark.parametrize(("method", "route"), JSON_ROUTES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded"])
def test_a_json_route_given_another_content_type_is_a_4xx_problem(
    served_platform: ServedPlatform, method: str, route: str, content_type: str
) -> None:
    headers = {**served_platform.admin_headers, "Content-Type": content_type}
    response = request(served_platform, method, route, content=b"name=x&code=y", headers=headers)
    assert_problem(response, 400, 415, 422)


def test_login_given_json_instead_of_a_form_names_the_missing_fields(served_platform: ServedPlatform) -> None:
    response = request(served_platform, "POST", "/api/auth/token", json={"username": "admin", "password": "x"})
    assert_problem(response, 422)
    assert {e["field"] for e in response.json()["errors"]} >= {"username", "password"}


def test_a_malformed_multipart_body_is_a_4xx_problem(served_platform: ServedPlatform) -> None:
    headers = {**served_platform.admin_headers, "Content-Type": "multipart/form-data; boundary=XYZ"}
    response = request(
        served_platform,
        "POST",
        f"/api/lab/labs/{'0' * 8}-0000-0000-0000-{'0' * 12}/catalogue",
        content=b'--XYZ\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        headers=headers,
    )
    assert_problem(response, 400, 404, 422)


def test_a_query_string_over_the_limit_is_414(served_platform: ServedPlatform) -> None:
    response = request(
        served_platform, "GET", "/api/patients/cards", params={"q": "а" * 10_000}, headers=served_platform.admin_headers
    )
    assert_problem(response, 414)


@pytest.mark.parametrize("query", ["q=%FF%FE", "q=%00", "limit=99999999999999999999999", "limit=-1", "offset=NaN"])
def test_a_strange_query_value_is_answered_without_a_server_error(served_platform: ServedPlatform, query: str) -> None:
    response = request(served_platform, "GET", f"/api/patients/cards?{query}", headers=served_platform.admin_headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


def raw_exchange(platform: ServedPlatform, head: bytes, body: bytes = b"") -> bytes:
    """Send bytes as they are (no client would send them) and read the answer."""
    address = urlsplit(platform.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        sock.sendall(head + body)  # `Connection: close` in the head: the server closes after answering
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_body_declared_larger_than_the_limit_is_refused_with_413_before_it_is_read(
    served_platform: ServedPlatform,
) -> None:
    token = served_platform.admin_headers["Authorization"]
    head = (
        "POST /api/patients/cards HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n"
        f"Authorization: {token}\r\nContent-Length: {70 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = raw_exchange(served_platform, head, b"{}")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert PROBLEM.encode() in answer


def test_a_header_with_invalid_utf8_is_answered_without_a_server_error(served_platform: ServedPlatform) -> None:
    token = served_platform.admin_headers["Authorization"]
    head = (
        b"GET /api/patients/cards HTTP/1.1\r\nHost: fuzz\r\nX-Request-ID: \xff\xfe\r\n"
        b"Authorization: " + token.encode() + b"\r\nConnection: close\r\n\r\n"
    )
    answer = raw_exchange(served_platform, head)
    status = int(answer.split(b" ", 2)[1])
    assert 200 <= status < 500, answer[:300]
