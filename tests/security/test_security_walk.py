"""Nobody gets in where they don't belong: every operation of the merged OpenAPI is walked
without a token (401) and with a token that lacks its right (403).

The allow-list of public operations lives in `security_walk.PUBLIC`; a new route without a
bearer requirement fails `test_only_the_allow_listed_operations_are_public` until it is added
there on purpose, with what protects it instead.
"""

from __future__ import annotations

from typing import Any

from security_walk import ANY_USER, OPEN, PUBLIC, Operation, call, operations

from clinic_shared.testing.platform import Platform


def protected(document: dict[str, Any]) -> list[Operation]:
    return [op for op in operations(document) if op.key not in PUBLIC]


async def test_only_the_allow_listed_operations_are_public(openapi_document: dict[str, Any]) -> None:
    """Public = not asking for a staff token (the widget key and ONDOC's signature are schemes too)."""
    schemes = openapi_document["components"]["securitySchemes"]
    staff = {name for name, s in schemes.items() if s["type"] == "oauth2" or s.get("scheme") == "bearer"}
    unprotected = {
        op.key
        for op in operations(openapi_document)
        if not any(staff & set(requirement) for requirement in op.spec.get("security", []))
    }
    assert unprotected == set(PUBLIC)


async def test_every_operation_without_a_token_is_refused_with_401(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    answers = {str(op): (await call(platform.client, op, {})).status_code for op in protected(openapi_document)}
    assert {op: status for op, status in answers.items() if status != 401} == {}
    assert len(answers) > 200  # the walk really covered the platform


async def test_every_operation_with_a_malformed_token_is_refused_with_401(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    headers = {"Authorization": "Bearer not.a.jwt"}
    answers = {str(op): (await call(platform.client, op, headers)).status_code for op in protected(openapi_document)}
    assert {op: status for op, status in answers.items() if status != 401} == {}


async def test_public_operations_other_than_login_and_health_refuse_calls_without_their_credential(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    guarded = [op for op in operations(openapi_document) if op.key in PUBLIC and op.key not in OPEN]
    answers = {str(op): (await call(platform.client, op, {})).status_code for op in guarded}
    assert answers and {op: status for op, status in answers.items() if status != 401} == {}


async def test_every_operation_refuses_a_user_without_rights_with_403_naming_the_right(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    headers = await platform.headers_with([])
    wrong: dict[str, Any] = {}
    for op in protected(openapi_document):
        if op.key in ANY_USER:
            continue
        response = await call(platform.client, op, headers)
        if response.status_code != 403 or not response.json().get("missing_right"):
            wrong[str(op)] = (response.status_code, response.text[:200])
    assert wrong == {}


async def test_every_operation_refuses_a_user_holding_every_right_but_its_own(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    catalogue = (await platform.client.get("/api/auth/rights", headers=platform.admin_headers)).json()
    every_right = sorted(right for rights in catalogue.values() for right in rights)
    nobody = await platform.headers_with([])
    needed: dict[str, list[Operation]] = {}
    for op in protected(openapi_document):
        if op.key not in ANY_USER:
            right = (await call(platform.client, op, nobody)).json()["missing_right"]
            needed.setdefault(right, []).append(op)
    wrong: dict[str, Any] = {}
    for right, ops in needed.items():
        headers = await platform.headers_with([r for r in every_right if r != right])
        for op in ops:
            response = await call(platform.client, op, headers)
            if response.status_code != 403 or response.json().get("missing_right") != right:
                wrong[str(op)] = (right, response.status_code)
    assert len(needed) > 10 and wrong == {}


async def test_the_gateway_knows_each_operations_access_and_body_limit_before_reading_it(
    openapi_document: dict[str, Any],
) -> None:
    """gateway/routes.py classifies a request before its body is read; it must agree with what
    each operation declares: public ones are not asked for a token, uploads get the large limit."""
    from gateway.routes import Access, classify

    wrong = []
    for op in operations(openapi_document):
        route = classify(op.method, op.url())
        public = op.key in PUBLIC
        upload = "multipart/form-data" in op.spec.get("requestBody", {}).get("content", {})
        if (route.access is not Access.TOKEN) != public or route.upload != upload:
            wrong.append((str(op), route))
    assert wrong == []
