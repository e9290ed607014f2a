"""/orders/{id}/history: what happened to an order and who did it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from clinic_shared.auth import require
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import ScopeDep
from lab.history import service as history_service
from lab.history.schemas import HistoryEntryRead
from lab.orders import service as orders_service

router = APIRouter(tags=["orders"])


@router.get("/orders/{order_id}/history", dependencies=[require(rights.READ)])
async def list_order_history(
    order_id: uuid.UUID, session: SessionDep, scope: ScopeDep, page: PageDep
) -> Page[HistoryEntryRead]:
    """The order's journal, oldest first: creation, statuses, results, corrections, exchange."""
    order = await orders_service.get_order(session, order_id=order_id, scope=scope)
    entries, total = await history_service.list_entries(
        session, order_id=order.id, limit=page.limit, offset=page.offset
    )
    return Page(items=[HistoryEntryRead.model_validate(e) for e in entries], total=total)
