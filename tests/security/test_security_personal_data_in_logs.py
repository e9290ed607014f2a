"""No name, phone, e-mail or birth date reaches the logs of any service (PLT-5, GW-3).

tests/test_personal_data_in_logs.py walks a day of card work in the patients service alone;
this walk crosses every service that receives personal data: the card travels as events to
scheduling, the lab and ONDOC, profexam creates a card from an employee typed in and from an
Excel import, and each service gets bad input that carries the data (so a validation error
that echoed its input would show up here).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from openpyxl import Workbook
from security_builders import created, lab_order

from clinic_shared.logging import configure_logging
from clinic_shared.testing.platform import Platform

CARD = {
    "last_name": "Шервашидзе",
    "first_name": "Евлампия",
    "middle_name": "Гурамовна",
    "birth_date": "1987-03-14",
    "sex": "female",
    "mobile_phone": "+7 (922) 555-41-17",
    "email": "evlampia.sh@example.org",
}
EMPLOYEE = {"last_name": "Кочубей", "first_name": "Агафон", "middle_name": "Силантьевич", "birth_date": "1979-11-05"}
IMPORTED = ["Тер-Погосян", "Фотиния", "Елизаровна", "14.08.1991"]
SECRETS = [
    "Шервашидзе", "Евлампия", "Гурамовна", "1987-03-14", "9225554117", "555-41-17", "evlampia.sh",
    "Кочубей", "Агафон", "Силантьевич", "1979-11-05",
    "Тер-Погосян", "Фотиния", "Елизаровна", "14.08.1991", "1991-08-14",
]  # fmt: skip


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    configure_logging("DEBUG", "json")
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_clinic", False))
    handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    configure_logging("WARNING", "json")


def employee_list() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Фамилия", "Имя", "Отчество", "Дата рождения"])
    workbook.active.append(IMPORTED)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_a_walk_across_every_service_logs_no_personal_data(
    platform: Platform, captured_logs: io.StringIO
) -> None:
    api, headers = platform.client, platform.admin_headers
    card = await created(platform, "/api/patients/cards", CARD)
    await api.get("/api/patients/cards", params={"q": "шервашидзе евл"}, headers=headers)
    await api.post(f"/api/ondoc/patients/{card['id']}/attach-code", headers=headers)
    await platform.wait_for_event("patient.created", lambda e: e.aggregate_id == card["id"])
    await lab_order(platform, card["id"])
    await api.get("/api/scheduling/appointments", params={"q": "Шервашидзе"}, headers=headers)
    organization = await created(platform, "/api/profexam/organizations", {"name": "ООО Ромашка"})
    exam = await created(
        platform,
        "/api/profexam/exams",
        {"organization_id": organization["id"], "name": "ПМО", "period_from": "2026-01-01", "period_to": "2026-12-31"},
    )
    added = await api.post(f"/api/profexam/exams/{exam['id']}/employees", json={"patient": EMPLOYEE}, headers=headers)
    imported = await api.post(
        f"/api/profexam/exams/{exam['id']}/imports",
        files={"file": ("list.xlsx", employee_list(), "application/octet-stream")},
        headers=headers,
    )
    # Bad input that carries personal data, to every service.
    bad = {**CARD, "birth_date": "not-a-date", "unknown": CARD["last_name"]}
    for method, url in [
        ("POST", "/api/patients/cards"),
        ("POST", "/api/scheduling/appointments"),
        ("POST", "/api/lab/orders"),
        ("POST", f"/api/profexam/exams/{exam['id']}/employees"),
        ("PUT", "/api/notifier/settings"),
        ("POST", "/api/auth/users"),
    ]:
        await api.request(method, url, json=bad, headers=headers)

    logs = captured_logs.getvalue()
    assert (added.status_code, imported.status_code) == (201, 200), (added.text, imported.text)
    assert all(f"service={name}" in logs or f'"service": "{name}"' in logs for name in ("patients", "lab", "ondoc"))
    leaked = [secret for secret in SECRETS if secret.lower() in logs.lower()]
    assert leaked == []
