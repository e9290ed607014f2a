"""GET /appointments/export.xlsx through the gateway (SCH-11): a real workbook of the search result."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_export_downloads_a_workbook_with_a_row_per_appointment(build: Any) -> None:
    day = build.day(3)
    doctor = await build.working_doctor(day)
    first = await build.book(doctor["id"], day, "10:00", 30)
    second = await build.book(doctor["id"], day, "11:00", 30, patient=build.patient(last_name="Сидоров"))

    response = await build.client.get(
        f"{API}/appointments/export.xlsx", params={"doctor_id": doctor["id"]}, headers=build.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("№", "Дата", "Начало", "Окончание", "Врач")
    assert [r[0] for r in rows[1:]] == [int(first["number"]), int(second["number"])]
    assert isinstance(rows[1][1], datetime) and rows[1][1].date() == day
    assert isinstance(rows[1][2], datetime) and rows[1][2].strftime("%H:%M") == "10:00"
    assert rows[2][7] == "Сидоров Пётр"


async def test_export_honours_the_search_filters(build: Any) -> None:
    day = build.day(3)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00", 30, patient=build.patient(last_name="Экспортов"))
    await build.book(doctor["id"], day, "12:00", 30, patient=build.patient(last_name="Другой"))

    response = await build.client.get(
        f"{API}/appointments/export.xlsx", params={"doctor_id": doctor["id"], "q": "экспорт"}, headers=build.headers
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[7] for r in rows[1:]] == ["Экспортов Пётр"]


async def test_export_of_bad_filters_is_422(build: Any) -> None:
    response = await build.client.get(
        f"{API}/appointments/export.xlsx",
        params={"date_from": "2030-02-01", "date_to": "2030-01-01"},
        headers=build.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "date_to"


async def test_export_needs_the_export_right(build: Any, reader: dict[str, str]) -> None:
    response = await build.client.get(f"{API}/appointments/export.xlsx", headers=reader)
    assert response.status_code == 403
