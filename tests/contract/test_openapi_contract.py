"""The merged OpenAPI document is a contract a front end can generate clients from (#15 item 1)."""

from __future__ import annotations

import ast
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
ROOT = Path(__file__).resolve().parents[2]
WRITES = ("post", "put", "patch", "delete")
SCHEDULING_EDITS_TEST = ROOT / "services" / "scheduling" / "tests" / "test_concurrent_edits_api.py"
REQUIRED_OUTSIDE_SCHEDULING = {
    # Each answers 428 without If-Match in its service's tests (scheduling's: REQUIRED, parsed below).
    "put /api/platform/settings",  # gateway/tests/test_gateway_versions.py
    "patch /api/patients/cards/{}",  # services/patients/tests/cards/test_patients_concurrency_api.py: EDITS
    "delete /api/patients/cards/{}",
    "post /api/patients/cards/{}/restore",
    "post /api/patients/cards/{}/issues",
    "post /api/patients/cards/{}/return",
    "put /api/patients/settings",  # the same file: test_the_card_settings_need_if_match
    "put /api/lab/settings",  # services/lab/tests/test_lab_concurrency_api.py
    "put /api/lab/workstations/{}/printer",
    "put /api/lab/lab-doctors/{}",
    "delete /api/lab/lab-doctors/{}",
    "put /api/notifier/settings",  # services/notifier/tests/config/test_notifier_concurrency_api.py
    "put /api/ondoc/settings",  # services/ondoc-bridge/tests/config/test_ondoc_versions.py
}


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


# What an operation does, the word after the service in its id (`scheduling_book_…`).
VERBS = frozenset(
    """accept add apply attach book calculate cancel change check confirm copy correct count create
    delete detach download end export fill find get guess import issue link list load log mark move open
    place preview print put read receive record refresh register reject remove replace reset restore
    retry return revoke rotate run search send set start stop sync test unlink unlock update upload""".split()
)


def test_operation_ids_say_what_they_do_service_verb_noun(document: dict[str, Any]) -> None:
    ids = [operation.get("operationId", "") for _, _, operation in operations(document)]
    assert [i for i in ids if len(i.split("_")) < 3 or i.split("_")[1] not in VERBS] == []


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


def _takes_if_match(operation: dict[str, Any]) -> bool:
    return any(p["in"] == "header" and p["name"] == "If-Match" for p in operation.get("parameters", []))


def _key(method: str, path: str) -> str:
    """`patch /api/scheduling/appointments/{}`: an operation, whatever its path parameters are named."""
    return f"{method.lower()} {re.sub(r'{[^}]+}', '{}', path)}"


def _declaring(document: dict[str, Any], status: str) -> set[str]:
    return {_key(method, path) for method, path, operation in operations(document) if status in operation["responses"]}


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
        if method in WRITES:
            expected.add("409")
        if _takes_if_match(operation):
            expected.add("412")
        if operation.get("requestBody") or operation.get("parameters"):
            expected.add("422")
        missing += [f"{method} {path}: {status}" for status in sorted(expected - set(responses))]
        for status in expected:
            content = responses[status].get("content", {})
            if "application/problem+json" not in content:
                missing.append(f"{method} {path}: {status} is not a problem")
    assert missing == []


def test_every_edit_takes_if_match(document: dict[str, Any]) -> None:
    """PUT, PATCH and DELETE honour `If-Match` (412), but a patient's cancellation from the
    website widget: it names the booking's phone, not a version, and always goes through."""
    without = [
        _key(method, path)
        for method, path, operation in operations(document)
        if method in ("put", "patch", "delete") and not _takes_if_match(operation)
    ]
    assert without == ["delete /api/scheduling/online/appointments/{}"]


def test_only_operations_taking_if_match_declare_412_or_428(document: dict[str, Any]) -> None:
    taking = {_key(method, path) for method, path, operation in operations(document) if _takes_if_match(operation)}
    assert len(taking) > 80
    assert _declaring(document, "412") == taking
    assert _declaring(document, "428") < taking


def test_a_412_or_428_is_a_problem_naming_the_current_version(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in operations(document):
        for status in ("412", "428"):
            if status not in operation["responses"]:
                continue
            schema = operation["responses"][status]["content"]["application/problem+json"]["schema"]
            parts = schema.get("allOf", [])
            properties = {name for part in parts for name in part.get("properties", {})}
            if {"$ref": "#/components/schemas/Problem"} not in parts or properties != {"current_version", "etag"}:
                wrong.append(f"{method} {path} {status}")
    assert wrong == []


def _scheduling_required() -> set[str]:
    """The edits scheduling's own test shows answering 428 (`REQUIRED` of test_concurrent_edits_api.py)."""
    tree = ast.parse(SCHEDULING_EDITS_TEST.read_text())
    [listing] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "REQUIRED"
    ]
    assert isinstance(listing, ast.Dict)
    names = [ast.literal_eval(key) for key in listing.keys if key is not None]
    return {_key(*name.split(" ", 1)).replace(" /", " /api/scheduling/", 1) for name in names}


def test_the_operations_declaring_428_are_those_that_answer_it(document: dict[str, Any]) -> None:
    scheduling = _scheduling_required()
    assert len(scheduling) == 11 and "post /api/scheduling/appointments/{}/to-waitlist" in scheduling
    assert _declaring(document, "428") == scheduling | REQUIRED_OUTSIDE_SCHEDULING


def test_an_edit_only_honouring_if_match_declares_412_but_not_428(document: dict[str, Any]) -> None:
    for name in (
        "patch /api/scheduling/cabinets/{}",
        "delete /api/profexam/organizations/{}",
        "patch /api/auth/users/{}",
    ):
        assert name in _declaring(document, "412") and name not in _declaring(document, "428")


def _resource(method: str, path: str) -> str:
    """The path of what an edit changes: its own, or for an action (`POST …/{id}/status`) its parent's."""
    path = re.sub(r"{[^}]+}", "{}", path)
    return path.rsplit("/", 1)[0] if method == "post" else path


def test_the_gets_of_editable_resources_declare_their_etag(document: dict[str, Any]) -> None:
    """A GET answers the `ETag` the edits of what it reads take in `If-Match`; a list does not."""
    edited = {_resource(method, path) for method, path, operation in operations(document) if _takes_if_match(operation)}
    gets = {
        re.sub(r"{[^}]+}", "{}", path): operation["responses"]["200"]
        for method, path, operation in operations(document)
        if method == "get"
    }
    with_etag = {path for path, answer in gets.items() if "ETag" in answer.get("headers", {})}
    assert with_etag == edited & set(gets)
    assert len(with_etag) > 30 and "/api/scheduling/appointments/{}" in with_etag
    assert "/api/scheduling/appointments" not in with_etag


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
