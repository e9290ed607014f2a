"""The merged OpenAPI document is a contract a front end can generate clients from (#15 item 1)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import referencing.jsonschema
from contract_document import operations
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from clinic_shared.openapi import MAX_OPERATION_ID

OPERATION_IDS = Path(__file__).with_name("operation_ids.txt")
SERVICES = ("gateway", "patients", "scheduling", "notifier", "ondoc", "profexam", "lab")


async def test_the_served_document_is_the_merge_of_every_services_own(
    served_document: dict[str, Any], document: dict[str, Any]
) -> None:
    assert sorted(served_document["paths"]) == sorted(document["paths"])
    assert sorted(served_document["components"]["schemas"]) == sorted(document["components"]["schemas"])
    assert served_document["components"]["securitySchemes"] == document["components"]["securitySchemes"]


def test_operation_ids_are_unique_short_and_name_their_service(document: dict[str, Any]) -> None:
    ids = [operation.get("operationId", "") for _, _, operation in operations(document)]
    assert [i for i, count in Counter(ids).items() if count > 1] == []
    assert [i for i in ids if len(i) > MAX_OPERATION_ID] == []
    assert [i for i in ids if not re.fullmatch(rf"({'|'.join(SERVICES)})_[a-z][a-z0-9_]*", i)] == []


def test_operation_ids_change_only_on_purpose(document: dict[str, Any]) -> None:
    """Generated clients name their methods by these ids: a rename breaks every front end.
    After a deliberate change, write the new list: `python tests/contract/operation_ids.py`."""
    ids = sorted(operation["operationId"] for _, _, operation in operations(document))
    kept = OPERATION_IDS.read_text().split()
    assert {"removed": sorted(set(kept) - set(ids)), "added": sorted(set(ids) - set(kept))} == {
        "removed": [],
        "added": [],
    }


def test_schema_names_are_unique_and_titled_with_their_name(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if schema.get("title") != name] == []
    assert [name for name in schemas if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name)] == []


def test_there_is_one_problem_schema(document: dict[str, Any]) -> None:
    problems = [name for name in document["components"]["schemas"] if "Problem" in name]
    assert problems == ["Problem"]


def test_every_operation_declares_its_errors(document: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in operations(document):
        responses = operation["responses"]
        expected = {"default"}
        if operation.get("security"):
            expected.add("401")
        if operation.get("x-required-rights"):
            expected.add("403")
        if "{" in path:
            expected.add("404")
        if operation.get("requestBody") or operation.get("parameters"):
            expected.add("422")
        missing += [f"{method} {path}: {status}" for status in sorted(expected - set(responses))]
        for status in expected:
            content = responses[status].get("content", {})
            if "application/problem+json" not in content:
                missing.append(f"{method} {path}: {status} is not a problem")
    assert missing == []


def test_a_right_an_operation_needs_is_declared_with_its_403(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/scheduling/appointments"]["post"]
    assert "scheduling.write" in operation["x-required-rights"]
    assert "scheduling.write" in operation["responses"]["403"]["description"]


def test_staff_widget_and_ondoc_operations_name_their_security_scheme(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {"OAuth2Password", "HTTPBearer", "WidgetApiKey", "OndocCallbackSignature"} <= set(schemes)
    assert schemes["OAuth2Password"]["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    assert document["paths"]["/api/scheduling/online/appointments"]["post"]["security"] == [{"WidgetApiKey": []}]
    assert document["paths"]["/api/ondoc/callbacks/book"]["post"]["security"] == [{"OndocCallbackSignature": []}]


def _bodies(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("request", operation.get("requestBody", {}))]
    found += [(status, answer) for status, answer in operation["responses"].items() if status.startswith("2")]
    return found


def test_every_body_and_every_successful_answer_has_an_example(document: dict[str, Any]) -> None:
    missing = [
        f"{method} {path} {which} {media_type}"
        for method, path, operation in operations(document)
        for which, body in _bodies(operation)
        for media_type, content in body.get("content", {}).items()
        if "example" not in content and content.get("schema", {}).get("format") != "binary"
    ]
    assert missing == []


def test_every_json_example_is_valid_against_its_schema(document: dict[str, Any]) -> None:
    registry = Registry().with_resource(
        "urn:clinic", Resource.from_contents(document, default_specification=referencing.jsonschema.DRAFT202012)
    )
    invalid = []
    for method, path, operation in operations(document):
        for which, body in _bodies(operation):
            for media_type, content in body.get("content", {}).items():
                if not media_type.endswith("json") or "example" not in content:
                    continue
                schema = json.loads(json.dumps(content["schema"]).replace('"#/components', '"urn:clinic#/components'))
                validator = Draft202012Validator(
                    schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
                )
                invalid += [
                    f"{method} {path} {which}: {error.message[:120]}"
                    for error in validator.iter_errors(content["example"])
                ]
    assert invalid == []


@pytest.mark.parametrize("name", ["Page_AppointmentRead_", "Body_login"])
def test_generated_schema_names_are_readable(document: dict[str, Any], name: str) -> None:
    assert not [key for key in document["components"]["schemas"] if name in key]
