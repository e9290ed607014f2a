"""Bodies of /sex-endings."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from patients.sex.rules import ENDING_MAX_LENGTH

Ending = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ENDING_MAX_LENGTH + 1)]


class SexEndingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ending: Ending
    sex: Literal["male", "female"]


class SexEndingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ending: Ending | None = None
    sex: Literal["male", "female"] | None = None


class SexEndingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    ending: str
    sex: Literal["male", "female"]
    version: int = Field(description='the ETag of the entry without its quotes: `If-Match: "<version>"` on edits')


class SexGuess(BaseModel):
    sex: Literal["male", "female"] | None
