"""Profexam on real processes (issue #6's scenario, run by issue #8): the gateway, patients and
profexam as separate processes on PostgreSQL + RabbitMQ. Organisations, contracts and exams are
made through the gateway; employee lists are real .xlsx files written here with openpyxl and
uploaded with a column mapping; the cards the import makes are looked up through the patients
API, since profexam reaches patients only over HTTP. One cluster serves the module; each test
has an organisation and surnames of its own."""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from e2e_flows import admin_headers, created, ok
from openpyxl import Workbook

from gateway.devcluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("profexam_e2e")]

PROFEXAM = "/api/profexam"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALPHABET = "абвгдежзиклмнопрстуфхцчшэюя"


@dataclass(frozen=True)
class ProfexamWorld:
    cluster: Cluster
    headers: dict[str, str]


@pytest.fixture(scope="module")
def world(make_module_cluster: Callable[..., Cluster]) -> ProfexamWorld:
    cluster = make_module_cluster(["patients", "profexam"])
    return ProfexamWorld(cluster, admin_headers(cluster))


@pytest.fixture
async def api(world: ProfexamWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=world.cluster.base_url, headers=world.headers, timeout=120) as client:
        yield client


def surname(stem: str, number: int) -> str:
    """A surname unique per `number` written in letters (names may not contain digits)."""
    suffix = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(ALPHABET))
        suffix = ALPHABET[rest] + suffix
    return f"{stem}{suffix}"


def unique_stem() -> str:
    """A surname stem no other test uses, so patients searches count only this test's cards."""
    return "Рабоч" + "".join(secrets.choice(ALPHABET) for _ in range(6))


def xlsx(rows: list[list[Any]], *, title_rows: list[list[Any]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*(title_rows or []), *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def new_exam(api: httpx.AsyncClient) -> dict[str, Any]:
    """An organisation with a running contract and an exam of this year under it."""
    organization = created(
        await api.post(f"{PROFEXAM}/organizations", json={"name": "АО «Завод»", "inn": "7701234567"})
    )
    today = date.today()
    contract = created(
        await api.post(
            f"{PROFEXAM}/organizations/{organization['id']}/contracts",
            json={
                "number": "Д-7",
                "valid_from": (today - timedelta(days=30)).isoformat(),
                "valid_to": (today + timedelta(days=335)).isoformat(),
            },
        )
    )
    return created(
        await api.post(
            f"{PROFEXAM}/exams",
            json={
                "organization_id": organization["id"],
                "contract_id": contract["id"],
                "name": "Периодический осмотр",
                "period_from": today.isoformat(),
                "period_to": (today + timedelta(days=90)).isoformat(),
            },
        )
    )


async def upload(
    api: httpx.AsyncClient, exam_id: str, content: bytes, mapping: dict[str, Any] | None = None, **params: Any
) -> dict[str, Any]:
    response = await api.post(
        f"{PROFEXAM}/exams/{exam_id}/imports",
        files={"file": ("сотрудники.xlsx", content, XLSX)},
        data={"mapping": json.dumps(mapping)} if mapping is not None else {},
        params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()},
    )
    return ok(response)  # type: ignore[no-any-return]


async def cards_named(api: httpx.AsyncClient, text: str) -> dict[str, Any]:
    return ok(await api.get("/api/patients/cards", params={"q": text, "limit": 100}))  # type: ignore[no-any-return]


async def employees(api: httpx.AsyncClient, exam_id: str) -> list[dict[str, Any]]:
    return ok(await api.get(f"{PROFEXAM}/exams/{exam_id}/employees", params={"limit": 500}))["items"]  # type: ignore[no-any-return]


# The organisation's own layout: a title row, then name | birth date | patronymic | … in its order.
MAPPING = {
    "last_name": "B",
    "first_name": "C",
    "middle_name": "D",
    "birth_date": "A",
    "sex": None,
    "phone": None,
    "position": "E",
    "department": None,
    "harmful_factors": "F",
    "exam_type": "G",
    "working_conditions": "H",
    "first_row": 3,
}
TITLE = [["Список сотрудников АО «Завод» на периодический осмотр"], ["Дата", "Фамилия", "Имя", "Отчество"]]


async def test_a_mapped_list_makes_employees_and_their_cards_in_patients(api: httpx.AsyncClient) -> None:
    exam = await new_exam(api)
    stem = unique_stem()
    rows = [
        [date(1980, 3, 4), surname(stem, 0), "Иван", "Петрович", "Слесарь", "4.2.5; п.1.1", 0, 32],
        ["05.06.1991", surname(stem, 1), "Мария", "Ивановна", "Лаборант", "1.1", -1, 2],
        [date(1975, 1, 2), surname(stem, 2), "Олег", "Сергеевич", "Мастер", None, None, None],
    ]

    report = await upload(api, exam["id"], xlsx(rows, title_rows=TITLE), MAPPING)

    assert (report["status"], report["imported"], report["cards_created"], report["rejected"]) == ("imported", 3, 3, [])
    listed = {e["last_name"]: e for e in await employees(api, exam["id"])}
    first = listed[surname(stem, 0)]
    assert (first["position"], first["exam_type"], first["working_conditions"]) == ("Слесарь", 0, "3.2")
    assert sorted(first["harmful_factor_codes"]) == ["1.1", "4.2.5"]
    assert listed[surname(stem, 1)]["birth_date"] == "1991-06-05" and listed[surname(stem, 1)]["sex"] == "female"
    assert listed[surname(stem, 2)]["exam_type"] == 1 and listed[surname(stem, 2)]["working_conditions"] is None
    cards = await cards_named(api, stem)
    assert cards["total"] == 3
    assert {c["id"] for c in cards["items"]} == {e["patient_id"] for e in listed.values()}
    assert {c["birth_date"] for c in cards["items"]} == {"1980-03-04", "1991-06-05", "1975-01-02"}


async def test_a_person_who_already_has_a_card_is_matched_not_duplicated(api: httpx.AsyncClient) -> None:
    exam = await new_exam(api)
    stem = unique_stem()
    card = created(
        await api.post(
            "/api/patients/cards",
            json={
                "last_name": surname(stem, 0),
                "first_name": "Анна",
                "middle_name": "Юрьевна",
                "birth_date": "1988-08-08",
            },
        )
    )
    rows = [[date(1988, 8, 8), surname(stem, 0).upper(), "анна", "Юрьевна", "Кладовщик", "1.1", 1, 2]]

    report = await upload(api, exam["id"], xlsx(rows, title_rows=TITLE), MAPPING)

    assert (report["imported"], report["cards_created"], report["cards_matched"]) == (1, 0, 1)
    [employee] = await employees(api, exam["id"])
    assert employee["patient_id"] == card["id"]
    assert (await cards_named(api, stem))["total"] == 1


def organisation_file(stem: str) -> tuple[bytes, set[int], list[str]]:
    """Issue #6's file: 500 employees in the template layout (A … K), 20 rows with a bad birth
    date and 5 unknown factor codes spread over 10 good rows."""
    unknown = ["77.1", "77.2", "шум цеха", "пп. 88", "99.9.9"]
    rows: list[list[Any]] = []
    bad: set[int] = set()
    for index in range(500):
        birth: Any = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
        factors = "4.2.5"
        if index % 25 == 7:
            birth = "32.13.1990" if index % 2 else "вчера"
            bad.add(index + 2)
        elif index % 50 == 3:
            factors = f"4.2.5; {unknown[(index // 50) % 5]}"
        rows.append([surname(stem, index), "Иван", "Петрович", birth, None, None, "Слесарь", "Цех 1", factors, 1, 2])
    header = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Телефон", "Должность", "Подразделение"]
    return xlsx(rows, title_rows=[[*header, "Вредные факторы", "Вид осмотра", "Условия труда"]]), bad, unknown


async def test_a_500_row_list_is_reported_mapped_imported_and_never_duplicated(api: httpx.AsyncClient) -> None:
    exam = await new_exam(api)
    stem = unique_stem()
    content, bad_rows, _ = organisation_file(stem)

    first = await upload(api, exam["id"], content)
    assert (first["status"], first["total_rows"]) == ("rejected", 500)
    assert {r["row"] for r in first["rejected"] if r["column"] == "D"} == bad_rows
    assert sorted(u["code"] for u in first["unknown_factor_codes"]) == sorted(
        ["77.1", "77.2", "шум цеха", "88", "99.9.9"]
    )
    assert await employees(api, exam["id"]) == [] and (await cards_named(api, stem))["total"] == 0

    for code in first["unknown_factor_codes"]:
        created(
            await api.post(
                f"{PROFEXAM}/organizations/{exam['organization_id']}/factor-mappings",
                json={"source_code": code["code"], "factor_code": "4.4"},
            )
        )
    second = await upload(api, exam["id"], content, accept_partial=True)
    assert (second["status"], second["imported"], second["cards_created"]) == ("imported", 480, 480)
    assert {r["row"] for r in second["rejected"]} == bad_rows and second["unknown_factor_codes"] == []

    third = await upload(api, exam["id"], content, accept_partial=True)
    assert (third["imported"], third["already_in_exam"], third["cards_created"], third["cards_matched"]) == (
        0,
        480,
        0,
        480,
    )
    exam_list = ok(await api.get(f"{PROFEXAM}/exams/{exam['id']}/employees", params={"limit": 1}))
    assert exam_list["total"] == 480
    assert (await cards_named(api, stem))["total"] == 480
