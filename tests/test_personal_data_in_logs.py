"""No name, phone, e-mail or birth date reaches the logs (PLT-5, GW-3)."""

from __future__ import annotations

import io
import logging

import pytest

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
SECRETS = ["Шервашидзе", "Евлампия", "Гурамовна", "1987-03-14", "9225554117", "555-41-17", "evlampia.sh"]


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients"]


@pytest.fixture
def captured_logs() -> io.StringIO:
    configure_logging("DEBUG", "json")
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_clinic", False))
    handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    configure_logging("WARNING", "json")


async def test_a_day_of_card_work_logs_no_personal_data(platform: Platform, captured_logs: io.StringIO) -> None:
    api, headers = platform.client, platform.admin_headers
    created = await api.post("/api/patients/cards", json=CARD, headers=headers)
    assert created.status_code == 201, created.text
    card_id = created.json()["id"]
    await api.get("/api/patients/cards", params={"q": "шервашидзе евл"}, headers=headers)
    await api.get("/api/patients/cards", params={"phone": "8 922 555 41 17"}, headers=headers)
    await api.get("/api/patients/cards", params={"birth_date": "1987-03-14"}, headers=headers)
    edit = {**headers, "If-Match": "*"}  # card edits name a version (428 without)
    await api.patch(f"/api/patients/cards/{card_id}", json={"email": "evlampia.sh@example.net"}, headers=edit)
    await api.post("/api/patients/cards", json={**CARD, "birth_date": "not-a-date"}, headers=headers)
    await api.delete(f"/api/patients/cards/{card_id}", headers=edit)
    await api.post(f"/api/patients/cards/{card_id}/restore", headers=edit)
    await platform.wait_for_event("patient.restored", lambda e: e.aggregate_id == card_id)

    logs = captured_logs.getvalue()
    assert "http.request" in logs  # the capture really saw the requests
    leaked = [secret for secret in SECRETS if secret.lower() in logs.lower()]
    assert leaked == []
