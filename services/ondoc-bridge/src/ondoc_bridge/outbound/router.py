"""/outbound: the state of every item on its way to ONDOC (observability of OND-4, OND-7)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from clinic_shared.db import utcnow
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from ondoc_bridge.deps import Reader, Syncer
from ondoc_bridge.outbound import service
from ondoc_bridge.outbound.schemas import OutboundKind, OutboundRead, OutboundStatus, OutboundSummary

router = APIRouter(prefix="/outbound", tags=["outbound"])


@router.get("")
async def list_outbound(
    session: SessionDep,
    principal: Reader,
    page: PageDep,
    status: Annotated[OutboundStatus | None, Query()] = None,
    kind: Annotated[OutboundKind | None, Query()] = None,
    patient_id: uuid.UUID | None = None,
) -> Page[OutboundRead]:
    """Queue items with attempts, last error and next attempt; `?status=pending` gives the depth."""
    items, total = await service.list_items(
        session, status=status, kind=kind, patient_id=patient_id, limit=page.limit, offset=page.offset
    )
    return Page(items=items, total=total)


@router.get("/summary")
async def get_outbound_summary(session: SessionDep, principal: Reader) -> OutboundSummary:
    """Items per status and the oldest pending change."""
    return await service.summary(session)


@router.post("/{item_id}/retry")
async def retry_outbound(item_id: uuid.UUID, session: SessionDep, principal: Syncer) -> OutboundRead:
    """Send a failed (or dropped) item again."""
    return await service.requeue(session, item_id=item_id, now=utcnow())
