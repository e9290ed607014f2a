"""GET /template-parameters (NOT-4)."""

from __future__ import annotations

from fastapi import APIRouter

from clinic_shared.pagination import Page
from notifier.deps import Reader
from notifier.templates import service
from notifier.templates.schemas import TemplateParameterRead

router = APIRouter(tags=["templates"])


@router.get("/template-parameters")
async def template_parameters(_: Reader) -> Page[TemplateParameterRead]:
    """The %Parameters% a template may use, what each means and which schedule types fill it."""
    items = service.list_parameters()
    return Page(items=items, total=len(items))
