"""Steps of the «Профосмотр» browser tests: an organisation with a contract and an exam, made through the API,
and the employees' workbook, built with openpyxl."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
from openpyxl import Workbook

HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "Телефон",
    "Должность",
    "Подразделение",
    "Вредные факторы",
    "Вид профосмотра",
    "Условия труда",
]


def unique() -> str:
    """A suffix of Cyrillic letters (names must be names: no digits)."""
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    number = uuid.uuid4().int
    return "".join(letters[(number >> (5 * i)) % len(letters)] for i in range(6))


def create_exam(api: httpx.Client) -> dict[str, Any]:
    """An organisation (unique name) with a contract in force and an exam over the next month."""
    today = dt.date.today()
    org = api.post("/api/profexam/organizations", json={"name": f"ООО Профтест {unique()}"})
    assert org.status_code == 201, org.text
    organization = org.json()
    contract = api.post(
        f"/api/profexam/organizations/{organization['id']}/contracts",
        json={
            "number": f"Д-{unique()}",
            "valid_from": (today - dt.timedelta(days=30)).isoformat(),
            "valid_to": (today + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert contract.status_code == 201, contract.text
    exam = api.post(
        "/api/profexam/exams",
        json={
            "organization_id": organization["id"],
            "name": f"Периодический осмотр {unique()}",
            "period_from": today.isoformat(),
            "period_to": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert exam.status_code == 201, exam.text
    return {"organization": organization, "exam": exam.json()}


def employees_workbook(path: Path, rows: list[list[Any]]) -> Path:
    """The import template's layout (A…K, header in row 1, people from row 2)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def open_exam(page: Any, organization: str, exam: str) -> None:
    page.goto("/admin/profexam")
    page.get_by_role("button", name=organization).click()
    page.get_by_role("button", name=f"Открыть «{exam}»").click()
    page.get_by_role("heading", name=exam).wait_for()
