"""The patient as the lab service knows it (its projection of the card)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel


class PatientRead(BaseModel):
    id: uuid.UUID
    card_number: str
    short_name: str
    birth_date: date | None
    sex: str | None
    deleted: bool
    version: int
