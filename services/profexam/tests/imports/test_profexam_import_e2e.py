"""End to end (PRO-3, PRO-4): a 500-row list with bad rows and unknown codes, mapped, imported, re-imported."""

from __future__ import annotations

from profexam_builders import employee_row, employees_xlsx

UNKNOWN = ["77.1", "77.2", "шум цеха", "пп. 88", "99.9.9"]


def organisation_file() -> tuple[bytes, set[int]]:
    """500 employees: 20 rows with bad cells, 5 unknown factor codes spread over good rows."""
    rows, bad = [], set()
    for index in range(500):
        row = employee_row(index, phone=f"+7 922 {index:03d}-00-00")
        if index % 25 == 7:
            row = employee_row(index, birth_date="32.13.1990" if index % 2 else "вчера")
            bad.add(index + 2)
        elif index % 50 == 3:
            row = employee_row(index, harmful_factors=f"4.2.5; {UNKNOWN[(index // 50) % 5]}")
        rows.append(row)
    return employees_xlsx(rows), bad


async def test_a_500_row_file_is_reported_mapped_imported_and_never_duplicated(api) -> None:
    exam = await api.exam()
    content, bad_rows = organisation_file()

    first = (await api.upload(exam["id"], content)).json()
    assert first["status"] == "rejected" and first["total_rows"] == 500
    assert {r["row"] for r in first["rejected"] if r["column"] == "D"} == bad_rows and len(bad_rows) == 20
    assert sorted(u["code"] for u in first["unknown_factor_codes"]) == sorted(
        ["77.1", "77.2", "шум цеха", "88", "99.9.9"]
    )
    assert sum(len(u["rows"]) for u in first["unknown_factor_codes"]) == 10
    assert await api.employees(exam["id"]) == []

    for code in first["unknown_factor_codes"]:
        await api.post(
            f"/organizations/{exam['organization_id']}/factor-mappings",
            {"source_code": code["code"], "factor_code": "4.4"},
        )

    second = (await api.upload(exam["id"], content, accept_partial=True)).json()
    assert (second["status"], second["imported"], second["cards_created"]) == ("imported", 480, 480)
    assert {r["row"] for r in second["rejected"]} == bad_rows and second["unknown_factor_codes"] == []
    total = (await api.get(f"/exams/{exam['id']}/employees", limit=1))["total"]
    assert total == 480
    cards = await api.client.get("/api/patients/cards", params={"q": "Сотрудник", "limit": 1}, headers=api.headers)
    assert cards.json()["total"] == 480

    third = (await api.upload(exam["id"], content, accept_partial=True)).json()
    assert (third["imported"], third["already_in_exam"], third["cards_created"], third["cards_matched"]) == (
        0,
        480,
        0,
        480,
    )
    cards = await api.client.get("/api/patients/cards", params={"q": "Сотрудник", "limit": 1}, headers=api.headers)
    assert cards.json()["total"] == 480
