"""Bodies of /cards/{id}/history."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from clinic_shared.clinic_time import ClinicDateTime


class FieldChange(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class CardHistoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    card_id: uuid.UUID
    version: int
    # issued / returned: the paper card left / came back to the archive (PAT-9, field `out_of_archive`).
    action: Literal["created", "updated", "deleted", "restored", "issued", "returned"]
    at: ClinicDateTime
    user_id: uuid.UUID | None
    username: str | None
    changes: list[FieldChange]
