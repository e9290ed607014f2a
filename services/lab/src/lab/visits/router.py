"""/visits: the orders of one visit and whether their results were announced (LAB-9)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from clinic_shared.auth import require
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import ScopeDep
from lab.visits import service
from lab.visits.schemas import VisitRead

router = APIRouter(prefix="/visits", tags=["visits"])


@router.get("/{visit_id}", dependencies=[require(rights.READ)])
async def get_visit(visit_id: uuid.UUID, session: SessionDep, scope: ScopeDep) -> VisitRead:
    """A visit (an order's `visit_id`): its orders, and whether "all results ready" went out."""
    return await service.get_visit(session, visit_id=visit_id, scope=scope)
