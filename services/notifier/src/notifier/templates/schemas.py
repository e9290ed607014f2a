"""Bodies of GET /template-parameters and GET /default-templates."""

from __future__ import annotations

from pydantic import BaseModel


class TemplateParameterRead(BaseModel):
    name: str
    token: str
    description: str
    example: str
    provided_by: list[str]


class DefaultTemplateRead(BaseModel):
    type: str
    template: str
    subject: str
