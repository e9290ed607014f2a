"""/charges: post a charged service by hand until a billing service publishes them (LAB-4)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.auth import require
from clinic_shared.service import SessionDep
from lab import rights
from lab.charges import service
from lab.charges.schemas import ChargeCreate, ChargeRead
from lab.deps import SettingsDep

router = APIRouter(prefix="/charges", tags=["charges"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(rights.CREATE_ORDER)])
async def record_charge(
    data: ChargeCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> ChargeRead:
    """A charged service (the body of `billing.service_charged`): creates the linked tests' order.

    201 the first time; the same charge id again answers 200 with what was done then.
    """
    record, created = await service.register_charge(session, charge=data, source="api", timezone=settings.timezone)
    if not created:
        response.status_code = status.HTTP_200_OK
    return ChargeRead.model_validate(record)


@router.get("/{charge_id}", dependencies=[require(rights.READ)])
async def get_charge(charge_id: uuid.UUID, session: SessionDep) -> ChargeRead:
    """What was done with a charge."""
    return ChargeRead.model_validate(await service.get_charge(session, charge_id=charge_id))
