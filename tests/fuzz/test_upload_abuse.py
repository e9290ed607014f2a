"""Every upload endpoint answers each bad file with a 4xx problem naming the `file` field, and
writes nothing (profexam employee and calculation imports, the lab catalogue)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fuzz_bad_files import BAD_FILES, XLSX, good_xlsx, huge_dimension, oversized

from clinic_shared.testing.served import ServedPlatform

PROBLEM = "application/problem+json"
OVER_EVERY_LIMIT = 21 * 1024 * 1024  # above profexam's 20 MB and the lab's 10 MiB, below the gateway's 64 MiB


@dataclass(frozen=True)
class Upload:
    url: str
    written: Callable[[], int]  # how many rows the endpoint's target holds


def created(client: httpx.Client, headers: dict[str, str], url: str, body: dict) -> dict:
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def uploads(served_platform: ServedPlatform) -> dict[str, Upload]:
    client, headers = served_platform.client(), served_platform.admin_headers
    organization = created(client, headers, "/api/profexam/organizations", {"name": f"ООО {uuid.uuid4().hex[:6]}"})
    exam = created(
        client,
        headers,
        "/api/profexam/exams",
        {"organization_id": organization["id"], "name": "ПМО", "period_from": "2026-01-01", "period_to": "2026-12-31"},
    )
    lab = created(client, headers, "/api/lab/labs", {"name": "Лаборатория", "code": f"U{uuid.uuid4().hex[:6]}"})

    def total(url: str) -> Callable[[], int]:
        return lambda: int(client.get(url, headers=headers).json()["total"])

    return {
        "employees": Upload(
            f"/api/profexam/exams/{exam['id']}/imports", total(f"/api/profexam/exams/{exam['id']}/employees")
        ),
        "calculation": Upload(
            f"/api/profexam/exams/{exam['id']}/calculations/imports",
            total(f"/api/profexam/exams/{exam['id']}/calculations"),
        ),
        "lab-catalogue": Upload(f"/api/lab/labs/{lab['id']}/catalogue", total(f"/api/lab/tests?lab_id={lab['id']}")),
    }


def send(served_platform: ServedPlatform, upload: Upload, content: bytes, name: str) -> httpx.Response:
    with served_platform.client() as client:
        return client.post(
            upload.url, files={"file": (name, content, XLSX)}, headers=served_platform.admin_headers, timeout=120
        )


def names_the_file(response: httpx.Response) -> bool:
    body = response.json()
    return any(error.get("field") == "file" for error in body.get("errors", [])) or "file" in body.get("detail", "")


@pytest.mark.parametrize("endpoint", ["employees", "calculation", "lab-catalogue"])
@pytest.mark.parametrize("bad_file", sorted(BAD_FILES))
def test_a_bad_file_is_refused_naming_the_file_and_nothing_is_written(
    served_platform: ServedPlatform, uploads: dict[str, Upload], endpoint: str, bad_file: str
) -> None:
    upload = uploads[endpoint]
    content, name = BAD_FILES[bad_file]()
    response = send(served_platform, upload, content, name)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert names_the_file(response), response.text
    assert upload.written() == 0


@pytest.mark.parametrize("endpoint", ["employees", "calculation", "lab-catalogue"])
def test_a_tiny_sheet_claiming_the_whole_grid_is_read_in_bounded_memory_and_writes_nothing(
    served_platform: ServedPlatform, uploads: dict[str, Upload], endpoint: str
) -> None:
    """A few-KB file declaring A1:XFD1048576 once took the lab catalogue 150 s and 6.5 GB.

    Whether the answer is a refusal or an empty report depends on the endpoint's rules (its
    only data sits in row 1,048,576, column XFD); what matters is that it comes, and clean.
    """
    upload = uploads[endpoint]
    response = send(served_platform, upload, *huge_dimension())
    if response.status_code >= 400:
        assert response.status_code < 500 and names_the_file(response), response.text
    else:
        assert response.json().get("imported", 0) == 0, response.text
    assert upload.written() == 0


@pytest.mark.parametrize("endpoint", ["employees", "calculation", "lab-catalogue"])
def test_an_oversized_file_is_refused_with_413_and_nothing_is_written(
    served_platform: ServedPlatform, uploads: dict[str, Upload], endpoint: str
) -> None:
    upload = uploads[endpoint]
    response = send(served_platform, upload, *oversized(OVER_EVERY_LIMIT))
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    assert names_the_file(response), response.text
    assert upload.written() == 0


@pytest.mark.parametrize("endpoint", ["employees", "calculation", "lab-catalogue"])
def test_a_workbook_sent_as_json_instead_of_a_form_is_refused_naming_the_file(
    served_platform: ServedPlatform, uploads: dict[str, Upload], endpoint: str
) -> None:
    upload = uploads[endpoint]
    with served_platform.client() as client:
        response = client.post(
            upload.url,
            content=good_xlsx(),
            headers={**served_platform.admin_headers, "Content-Type": "application/json"},
        )
    assert response.status_code == 422
    assert names_the_file(response), response.text
    assert upload.written() == 0
