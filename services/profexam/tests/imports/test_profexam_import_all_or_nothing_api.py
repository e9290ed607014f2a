"""An all-or-nothing import checks every card with patients before creating any (#19): a card
refused in a later batch leaves no card of an earlier batch behind."""

from __future__ import annotations

import pytest
from profexam_builders import employee_row, employees_xlsx


@pytest.fixture
def one_card_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each card its own /cards/batch call, one at a time (set before the platform starts)."""
    monkeypatch.setenv("CLINIC_IMPORT_CARD_BATCH_SIZE", "1")
    monkeypatch.setenv("CLINIC_IMPORT_CARD_BATCHES_IN_FLIGHT", "1")


async def require_a_contact(api) -> None:
    """PAT-2 on: patients refuses a card without a mobile phone or an e-mail (profexam does not)."""
    response = await api.client.put(
        "/api/patients/settings", json={"required_fields_enabled": True}, headers={**api.headers, "If-Match": "*"}
    )
    assert response.status_code == 200, response.text


async def cards_named_sotrudnik(api) -> int:
    response = await api.client.get("/api/patients/cards", params={"q": "Сотрудник"}, headers=api.headers)
    assert response.status_code == 200, response.text
    return response.json()["total"]  # type: ignore[no-any-return]


async def test_an_import_whose_second_batch_patients_refuses_creates_no_card(one_card_per_batch, api) -> None:
    await require_a_contact(api)
    exam = await api.exam()
    rows = [employee_row(0, phone="+7 922 123-45-67"), employee_row(1)]

    report = (await api.upload(exam["id"], employees_xlsx(rows))).json()

    assert (report["status"], report["imported"], report["cards_created"]) == ("rejected", 0, 0)
    assert {r["row"] for r in report["rejected"]} == {3}
    assert (3, "F") in {(r["row"], r["column"]) for r in report["rejected"]}
    assert await cards_named_sotrudnik(api) == 0
    assert await api.employees(exam["id"]) == []


async def test_an_import_of_valid_cards_in_several_batches_creates_them_all(one_card_per_batch, api) -> None:
    await require_a_contact(api)
    exam = await api.exam()
    rows = [employee_row(0, phone="+7 922 123-45-67"), employee_row(1, phone="+7 922 123-45-68")]

    report = (await api.upload(exam["id"], employees_xlsx(rows))).json()

    assert (report["status"], report["imported"], report["cards_created"]) == ("imported", 2, 2)
    assert await cards_named_sotrudnik(api) == 2


async def test_accept_partial_still_creates_the_valid_cards_of_every_batch(one_card_per_batch, api) -> None:
    await require_a_contact(api)
    exam = await api.exam()
    rows = [employee_row(0), employee_row(1, phone="+7 922 123-45-68")]

    report = (await api.upload(exam["id"], employees_xlsx(rows), accept_partial=True)).json()

    assert (report["status"], report["imported"], report["cards_created"]) == ("imported", 1, 1)
    assert {r["row"] for r in report["rejected"]} == {2}
    assert await cards_named_sotrudnik(api) == 1
