"""Steps of the «Лаборатория» browser tests: a card the lab knows, the demo lab."""

from __future__ import annotations

import time
from typing import Any

import httpx
from patients_steps import create_card, unique


def card_known_to_the_lab(api: httpx.Client, last_name: str) -> dict[str, Any]:
    """A new card, once the lab's projection of patients has it (it learns cards from patients' events)."""
    card = create_card(api, unique(last_name), birth_date="1984-03-15", sex="female")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if api.get(f"/api/lab/patients/{card['id']}").status_code == 200:
            return card
        time.sleep(0.3)
    raise AssertionError(f"the lab never learnt card {card['id']}")


def demo_lab(api: httpx.Client) -> dict[str, Any]:
    response = api.get("/api/lab/labs")
    assert response.status_code == 200, response.text
    return next(lab for lab in response.json()["items"] if lab["code"] == "DEMO")
