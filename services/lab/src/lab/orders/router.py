"""/orders: lab orders (LAB-4, LAB-7)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.dates import ApiAwareDateTime, ApiDate
from clinic_shared.errors import Forbidden
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from lab import rights
from lab.deps import OrderCreator, Reader, ScopeDep, SettingsDep, wake_exchange_worker
from lab.exchange import service as exchange_service
from lab.history.service import Actor
from lab.orders import service
from lab.orders.schemas import (
    CancelRequest,
    OrderCreate,
    OrderRead,
    OrderSummary,
    SampleBarcodeChange,
    StatusChange,
    StatusName,
)

router = APIRouter(prefix="/orders", tags=["orders"])

# Front desk sends and cancels; the lab moves an order through its work.
STATUS_RIGHTS = {
    "created": rights.CREATE_ORDER,
    "sent": rights.CREATE_ORDER,
    "cancelled": rights.CREATE_ORDER,
    "in_progress": rights.RESULTS,
    "completed": rights.RESULTS,
}


def _day_start(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))


@router.get("")
async def list_orders(
    session: SessionDep,
    settings: SettingsDep,
    principal: Reader,
    scope: ScopeDep,
    page: PageDep,
    patient_id: uuid.UUID | None = None,
    lab_id: uuid.UUID | None = None,
    status: StatusName | None = None,
    appointment_id: uuid.UUID | None = None,
    charge_id: uuid.UUID | None = None,
    number: Annotated[str | None, Query(max_length=30)] = None,
    barcode: Annotated[str | None, Query(max_length=32)] = None,
    date_from: Annotated[ApiDate | None, Query(description="created on or after this clinic day")] = None,
    date_to: Annotated[ApiDate | None, Query(description="created on or before this clinic day")] = None,
    updated_since: Annotated[
        ApiAwareDateTime | None,
        Query(description="only orders created or changed at or after this instant (for clients that poll)"),
    ] = None,
) -> Page[OrderSummary]:
    """Orders the caller may see (a lab doctor: their lab's), newest first.

    Orders are never deleted (a cancelled one is changed to `cancelled`), so `updated_since`
    tells a poller every change."""
    orders, total = await service.list_orders(
        session,
        scope=scope,
        patient_id=patient_id,
        lab_id=lab_id,
        status=status,
        appointment_id=appointment_id,
        charge_id=charge_id,
        number=number,
        barcode=barcode,
        created_from=_day_start(date_from, settings.timezone) if date_from else None,
        created_to=_day_start(date_to + timedelta(days=1), settings.timezone) if date_to else None,
        updated_since=updated_since,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[service.order_summary(o) for o in orders], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(
    data: OrderCreate, session: SessionDep, settings: SettingsDep, principal: OrderCreator, scope: ScopeDep
) -> OrderRead:
    """Order tests for a patient from one lab; tests are grouped into barcoded samples."""
    order = await service.create_order(
        session,
        data=service.NewOrder(**data.model_dump()),
        actor=Actor.of(principal),
        timezone=settings.timezone,
        scope=scope,
    )
    return await service.order_detail(session, order)


@router.get("/{order_id}", dependencies=[require(rights.READ)])
async def get_order(order_id: uuid.UUID, session: SessionDep, scope: ScopeDep, response: Response) -> OrderRead:
    """An order with its samples, tests, results and delivery state; its `version` in `ETag`.

    Every change of an order (status, cancel, send, barcode, results, correction) takes
    `If-Match` with it: 412 when the order changed since (the problem names `current_version`)."""
    order = await service.get_order(session, order_id=order_id, scope=scope)
    set_etag(response, order)
    return await service.order_detail(session, order)


@router.post("/{order_id}/status", dependencies=[require(rights.READ)])
async def change_status(
    order_id: uuid.UUID,
    data: StatusChange,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Reader,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderRead:
    """Move an order along created → sent → in_progress → completed, or cancel it.

    sent/cancelled need `lab.create_order`; in_progress/completed need `lab.results`.
    """
    needed = STATUS_RIGHTS[data.status]
    if not principal.has(needed):
        raise Forbidden(f"The right '{needed}' is required.", missing_right=needed)
    order = await service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    await service.change_status(session, order=order, status=data.status, actor=Actor.of(principal), reason=data.reason)
    detail = await service.order_detail(session, order)
    set_etag(response, order)
    if data.status == "cancelled":
        wake_exchange_worker(runtime)
    return detail


@router.post("/{order_id}/cancel")
async def cancel_order(
    order_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: OrderCreator,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
    data: CancelRequest | None = None,
) -> OrderRead:
    """Cancel an order that is not completed; a lab that already has it is told (see `exchange.cancel`).

    Cancelling again an order whose cancellation could not reach the lab retries telling it.
    """
    order = await service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    reason = data.reason if data else None
    await service.cancel_order(session, order=order, actor=Actor.of(principal), reason=reason)
    detail = await service.order_detail(session, order)
    set_etag(response, order)
    wake_exchange_worker(runtime)
    return detail


@router.post("/{order_id}/send", status_code=status.HTTP_202_ACCEPTED)
async def send_order(
    order_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: OrderCreator,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderRead:
    """Queue the order for delivery to its lab; the exchange worker sends it and fetches results."""
    order = await service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    await exchange_service.queue_order(session, order=order, actor=Actor.of(principal))
    detail = await service.order_detail(session, order)
    set_etag(response, order)
    wake_exchange_worker(runtime)
    return detail


@router.put("/{order_id}/samples/{sample_id}/barcode")
async def change_sample_barcode(
    order_id: uuid.UUID,
    sample_id: uuid.UUID,
    data: SampleBarcodeChange,
    session: SessionDep,
    principal: OrderCreator,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderRead:
    """Use a pre-printed tube's barcode for a sample; a barcode in use elsewhere is a 409."""
    order = await service.get_order(session, order_id=order_id, scope=scope, for_update=True)
    check_if_match(if_match, order, principal)
    await service.change_sample_barcode(
        session, order=order, sample_id=sample_id, barcode=data.barcode, actor=Actor.of(principal)
    )
    detail = await service.order_detail(session, order)
    set_etag(response, order)
    return detail
