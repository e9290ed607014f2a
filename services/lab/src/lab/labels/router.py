"""/orders/{id}/labels.zpl and /orders/{id}/samples/{sample_id}/label.zpl (LAB-5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from clinic_shared.auth import require
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import ScopeDep
from lab.labels import service
from lab.orders import service as orders_service

router = APIRouter(prefix="/orders/{order_id}", tags=["labels"])
ZPL_MEDIA_TYPE = "application/vnd.zebra-zpl"
WorkstationQuery = Annotated[
    str | None, Query(max_length=100, description="whose printer's label size to use; default: the order's")
]


def _zpl(body: str, filename: str) -> Response:
    return Response(
        body.encode("utf-8"),
        media_type=f"{ZPL_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get("/labels.zpl", dependencies=[require(rights.READ)], response_class=Response)
async def print_order_labels(
    order_id: uuid.UUID, session: SessionDep, scope: ScopeDep, workstation_id: WorkstationQuery = None
) -> Response:
    """ZPL II labels (Code 128) for every sample of the order."""
    order = await orders_service.get_order(session, order_id=order_id, scope=scope)
    body = await service.order_labels(session, order=order, workstation_id=workstation_id)
    return _zpl(body, f"{order.number}.zpl")


@router.get("/samples/{sample_id}/label.zpl", dependencies=[require(rights.READ)], response_class=Response)
async def print_sample_label(
    order_id: uuid.UUID,
    sample_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    workstation_id: WorkstationQuery = None,
) -> Response:
    """The ZPL II label of one sample."""
    order = await orders_service.get_order(session, order_id=order_id, scope=scope)
    body = await service.order_labels(session, order=order, workstation_id=workstation_id, sample_id=sample_id)
    return _zpl(body, f"{order.number}-{sample_id}.zpl")
