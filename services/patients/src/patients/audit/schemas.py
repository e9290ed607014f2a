"""Bodies of /audit."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from clinic_shared.clinic_time import ClinicDateTime


class AuditAction(StrEnum):
    READ = "read"
    SEARCH = "search"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    ISSUE_DISCOUNT_CARD = "issue_discount_card"
    ISSUE_CARD = "issue_card"  # the paper card given out of the archive (PAT-9)
    RETURN_CARD = "return_card"


class AuditRecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: ClinicDateTime
    user_id: uuid.UUID | None
    username: str | None
    action: AuditAction
    card_id: uuid.UUID | None
    detail: str | None
    request_id: str | None
