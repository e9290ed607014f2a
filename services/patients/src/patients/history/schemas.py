"""Bodies of /cards/{id}/history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


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
    at: datetime
    user_id: uuid.UUID | None
    username: str | None
    changes: list[FieldChange]
