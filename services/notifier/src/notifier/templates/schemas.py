"""Body of GET /template-parameters."""

from __future__ import annotations

from pydantic import BaseModel


class TemplateParameterRead(BaseModel):
    name: str
    token: str
    description: str
    example: str
    provided_by: list[str]
