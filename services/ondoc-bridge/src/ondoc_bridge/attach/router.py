"""POST /patients/{patient_id}/attach-code (OND-2)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from clinic_shared.db import utcnow
from clinic_shared.service import RuntimeDep, SessionDep
from ondoc_bridge.attach import service
from ondoc_bridge.attach.schemas import AttachCodeRead
from ondoc_bridge.deps import Attacher, SettingsDep

router = APIRouter(tags=["attach codes"])


@router.post("/patients/{patient_id}/attach-code", status_code=status.HTTP_201_CREATED)
async def issue_attach_code(
    patient_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, settings: SettingsDep, principal: Attacher
) -> AttachCodeRead:
    """Issue a 9-digit code ("Привязать к OnDoc"); the notifier sends it to the patient."""
    attach_code = await service.issue_code(
        session,
        runtime=runtime,
        patient_id=patient_id,
        principal=principal,
        per_hour=settings.ondoc_attach_codes_per_hour,
        now=utcnow(),
    )
    return AttachCodeRead(
        code=attach_code.code,
        expires_at=attach_code.expires_at,
        patient_id=attach_code.patient_id,
        contact_priority=attach_code.contact_priority,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
    )
