"""Bodies of /mappings and /sync (OND-8)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field

from clinic_shared.clinic_time import ClinicDateTime
from ondoc_bridge.ondoc.reasons import error_text

MappingKind = Literal["doctors", "services", "specializations"]


class MappingWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ondoc_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class MappingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: MappingKind
    our_id: uuid.UUID
    ondoc_id: str
    note: str | None
    updated_at: ClinicDateTime
    updated_by_username: str | None


class UploadRead(BaseModel):
    """The last upload of one directory (or of the free slots)."""

    model_config = ConfigDict(from_attributes=True)

    kind: Literal["doctors", "services", "specializations", "free_slots"]
    status: Literal["uploaded", "failed"]
    item_count: int
    last_attempt_at: ClinicDateTime
    last_success_at: ClinicDateTime | None
    last_error: str | None = Field(description="why the last upload failed: a stable text logs and scripts match on")

    @computed_field(description="`last_error` in Russian, as staff read it")  # type: ignore[prop-decorator]  # mypy takes no decorator over @property: pydantic's documented form
    @property
    def last_error_text(self) -> str | None:
        return error_text(self.last_error)


class SyncResult(BaseModel):
    items: list[UploadRead]
    total: int
