"""Data the security tests need, made through the gateway as a user would make it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from clinic_shared.testing.platform import Platform


async def created(platform: Platform, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await platform.client.post(url, json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def lab_patient(platform: Platform) -> str:
    """A card made in patients, once the lab's projection of it has arrived."""
    card = await created(
        platform,
        "/api/patients/cards",
        {"last_name": "Петров", "first_name": "Пётр", "middle_name": "Петрович", "birth_date": "1980-01-02"},
    )
    async with asyncio.timeout(15):
        while (
            await platform.client.get(f"/api/lab/patients/{card['id']}", headers=platform.admin_headers)
        ).status_code != 200:
            await asyncio.sleep(0.05)
    return str(card["id"])


async def lab_order(platform: Platform, patient_id: str) -> dict[str, Any]:
    """An order in a lab of its own (with one test), as the admin makes it."""
    lab = await created(platform, "/api/lab/labs", {"name": "Лаборатория", "code": f"L{uuid.uuid4().hex[:6]}"})
    test = await created(
        platform,
        "/api/lab/tests",
        {"lab_id": lab["id"], "code": f"T{uuid.uuid4().hex[:6]}", "name": "Глюкоза", "container_type": "EDTA"},
    )
    order = await created(
        platform, "/api/lab/orders", {"patient_id": patient_id, "lab_id": lab["id"], "test_ids": [test["id"]]}
    )
    return {**order, "test_id": test["id"]}


async def widget_key(platform: Platform) -> str:
    """A fresh online-booking widget key (X-Api-Key)."""
    body = await created(platform, "/api/scheduling/online/api-keys", {"label": f"site-{uuid.uuid4().hex[:6]}"})
    return str(body["key"])
