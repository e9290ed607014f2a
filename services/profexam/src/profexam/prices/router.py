"""/contracts/{id}/prices: a contract's price list of exam services (PRO-7)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from profexam.deps import Reader, ScopeDep, Writer
from profexam.prices import service
from profexam.prices.schemas import PriceCreate, PriceRead, PriceUpdate

router = APIRouter(prefix="/contracts/{contract_id}/prices", tags=["price lists"])


@router.get("")
async def list_prices(
    contract_id: uuid.UUID,
    session: SessionDep,
    _: Reader,
    scope: ScopeDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the code or the name")] = None,
) -> Page[PriceRead]:
    """The contract's price list by service code."""
    items, total = await service.list_prices(
        session, contract_id=contract_id, q=q, limit=page.limit, offset=page.offset, scope=scope
    )
    return Page(items=[PriceRead.model_validate(p) for p in items], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_price(
    contract_id: uuid.UUID, data: PriceCreate, session: SessionDep, _: Writer, scope: ScopeDep
) -> PriceRead:
    """Add a service with its price under this contract; a code already listed is 409."""
    price = await service.create_price(session, contract_id=contract_id, data=data, scope=scope)
    return PriceRead.model_validate(price)


@router.get("/{price_id}")
async def get_price(
    contract_id: uuid.UUID, price_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep, response: Response
) -> PriceRead:
    """One service of the price list, its version in `ETag`."""
    price = await service.get_price(session, contract_id=contract_id, price_id=price_id, scope=scope)
    set_etag(response, price)
    return PriceRead.model_validate(price)


@router.patch("/{price_id}")
async def update_price(
    contract_id: uuid.UUID,
    price_id: uuid.UUID,
    data: PriceUpdate,
    session: SessionDep,
    principal: Writer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> PriceRead:
    """Change a service's code, name, group or price (later calculations take the new price);
    412 when `If-Match` names another version."""
    price = await service.update_price(
        session,
        contract_id=contract_id,
        price_id=price_id,
        data=data,
        scope=scope,
        principal=principal,
        if_match=if_match,
    )
    set_etag(response, price)
    return PriceRead.model_validate(price)


@router.delete("/{price_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_price(
    contract_id: uuid.UUID,
    price_id: uuid.UUID,
    session: SessionDep,
    principal: Writer,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> Response:
    """Take a service off the price list; 412 when `If-Match` names another version."""
    await service.delete_price(
        session, contract_id=contract_id, price_id=price_id, scope=scope, principal=principal, if_match=if_match
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
