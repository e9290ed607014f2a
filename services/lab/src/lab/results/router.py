"""/orders/{id}/results and corrections (LAB-6)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.service import SessionDep
from lab.deps import ResultsEditor, ScopeDep
from lab.history.service import Actor
from lab.orders import service as orders_service
from lab.orders.schemas import OrderRead
from lab.results import service
from lab.results.schemas import CorrectionCreate, ResultsCreate

router = APIRouter(prefix="/orders/{order_id}/results", tags=["results"])


@router.post("")
async def record_results(
    order_id: uuid.UUID,
    data: ResultsCreate,
    session: SessionDep,
    principal: ResultsEditor,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderRead:
    """Record results; the flag is computed when not given. All tests done → completed.

    412 when `If-Match` names another version of the order."""
    order = await orders_service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    actor = Actor.of(principal)
    try:
        await service.record_results(session, order=order, entries=data.results, actor=actor)
    except service.ResultsForCancelledOrder as exc:
        # The 409 rolls the request back; the journal entry must outlive it, so it is written
        # (and committed) on its own after the rollback, before the error is answered.
        await session.rollback()
        await service.journal_refused_results(
            session, order_id=order_id, test_ids=exc.test_ids, actor=actor, source="manual"
        )
        await session.commit()
        raise
    detail = await orders_service.order_detail(session, order)
    set_etag(response, order)
    return detail


@router.post("/{test_id}/correction")
async def correct_result(
    order_id: uuid.UUID,
    test_id: uuid.UUID,
    data: CorrectionCreate,
    session: SessionDep,
    principal: ResultsEditor,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderRead:
    """Correct a result (also a final one); the old value and the reason go to the history.

    412 when `If-Match` names another version of the order."""
    order = await orders_service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    await service.correct_result(session, order=order, test_id=test_id, data=data, actor=Actor.of(principal))
    detail = await orders_service.order_detail(session, order)
    set_etag(response, order)
    return detail
