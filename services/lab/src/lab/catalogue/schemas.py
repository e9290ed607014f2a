"""The catalogue load report."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RejectedRow(BaseModel):
    row: int = Field(description="the file's row number (the header is row 1)")
    field: str
    reason: str


class CatalogueReport(BaseModel):
    added: int
    updated: int
    unchanged: int
    rejected: list[RejectedRow]
    applied: bool = Field(description="false when rejected rows stopped the whole load")
