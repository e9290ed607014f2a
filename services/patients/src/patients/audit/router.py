"""/audit: who read or changed patient data (GW-3)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from clinic_shared.dates import ApiAwareDateTime
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from patients.audit import service
from patients.audit.schemas import AuditAction, AuditRecordRead
from patients.deps import Auditor

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
async def list_audit_records(
    session: SessionDep,
    page: PageDep,
    _auditor: Auditor,
    card_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
    since: ApiAwareDateTime | None = None,
    until: ApiAwareDateTime | None = None,
) -> Page[AuditRecordRead]:
    """Audit records, newest first; filter by card, user, action and time."""
    records, total = await service.list_records(
        session,
        card_id=card_id,
        user_id=user_id,
        action=action,
        since=since,
        until=until,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[AuditRecordRead.model_validate(r) for r in records], total=total)
