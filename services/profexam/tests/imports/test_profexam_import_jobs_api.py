"""Large imports run as jobs with progress (PRO-3)."""

from __future__ import annotations

import pytest
from profexam_builders import employee_rows, employees_xlsx


@pytest.fixture
def small_job_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over 5 rows become jobs (set before the platform starts: requested first)."""
    monkeypatch.setenv("CLINIC_IMPORT_ASYNC_THRESHOLD_ROWS", "5")


async def test_a_large_file_is_imported_as_a_job_with_progress_and_a_final_report(small_job_threshold, api) -> None:
    exam = await api.exam()
    response = await api.upload(exam["id"], employees_xlsx(employee_rows(12)))
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] in ("queued", "running") and started["total"] == 12
    assert response.headers["location"] == f"../../imports/{started['id']}"  # → /api/profexam/imports/{id}
    run = await api.wait_for_import(started["id"])
    assert (run["status"], run["processed"], run["total"]) == ("done", 12, 12)
    assert (run["report"]["status"], run["report"]["imported"]) == ("imported", 12)
    assert len(await api.employees(exam["id"])) == 12


async def test_a_small_file_answers_at_once_and_its_run_is_kept(small_job_threshold, api) -> None:
    exam = await api.exam()
    report = (await api.upload(exam["id"], employees_xlsx(employee_rows(2)))).json()
    run = await api.get(f"/imports/{report['id']}")
    assert (run["status"], run["report"]["imported"], run["kind"]) == ("done", 2, "employees")
