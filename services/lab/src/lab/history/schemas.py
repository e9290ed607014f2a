"""Bodies of /orders/{id}/history."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict

from clinic_shared.clinic_time import ClinicDateTime


class HistoryEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: ClinicDateTime
    action: str
    user_id: uuid.UUID | None
    username: str
    details: dict[str, Any]
