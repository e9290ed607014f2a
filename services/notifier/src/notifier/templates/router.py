"""GET /template-parameters (NOT-4) and GET /default-templates."""

from __future__ import annotations

from fastapi import APIRouter

from clinic_shared.pagination import Page
from notifier.deps import Reader
from notifier.templates import service
from notifier.templates.defaults import DEFAULT_TEMPLATES
from notifier.templates.schemas import DefaultTemplateRead, TemplateParameterRead

router = APIRouter(tags=["templates"])


@router.get("/template-parameters")
async def list_template_parameters(_: Reader) -> Page[TemplateParameterRead]:
    """The %Parameters% a template may use, what each means and which schedule types fill it."""
    items = service.list_parameters()
    return Page(items=items, total=len(items))


@router.get("/default-templates")
async def list_default_templates(_: Reader) -> Page[DefaultTemplateRead]:
    """The Russian text (and e-mail subject) a schedule of each type gets when created without one."""
    items = [
        DefaultTemplateRead(type=schedule_type, template=default.template, subject=default.subject)
        for schedule_type, default in DEFAULT_TEMPLATES.items()
    ]
    return Page(items=items, total=len(items))
