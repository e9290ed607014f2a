"""Bad files through the gateway (PRO-3): a clear 4xx naming the problem, nothing written.

Every other bad-file case (PDF, corrupted zip, zip bomb, formulas, merges) is covered at the
reader level in test_profexam_reader.py; these check how the answers reach the user.
"""

from __future__ import annotations

import os

import pytest
from profexam_builders import (
    employee_rows,
    employees_xlsx,
    encrypted_xlsx,
    legacy_xls,
    many_rows_xlsx,
)


@pytest.fixture
def platform_services() -> list[str]:
    return ["profexam"]


async def test_an_xls_file_is_415_naming_the_format(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], legacy_xls(), filename="list.xls")
    assert response.status_code == 415 and ".xls" in response.json()["detail"]


async def test_a_password_protected_file_is_422(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], encrypted_xlsx())
    assert response.status_code == 422 and "password" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "file"


async def test_a_file_over_the_size_limit_is_413(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], os.urandom(21 * 1024 * 1024))
    assert response.status_code == 413 and "20 MB" in response.json()["detail"]


async def test_a_sheet_over_the_row_limit_is_422_before_processing(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], many_rows_xlsx(200_000))
    assert response.status_code == 422, response.text
    assert "more than 50000 data rows" in response.json()["errors"][0]["message"]
    assert await api.employees(exam["id"]) == []


async def test_a_bad_mapping_is_422_naming_the_field(api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], employees_xlsx(employee_rows(1)), mapping={"birth_date": "1D"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "mapping.birth_date"
