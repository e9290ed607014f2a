"""/settings: the card settings (PAT-2, PAT-9)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.service import SessionDep
from patients import rights
from patients.deps import SettingsEditor
from patients.policy import service
from patients.policy.models import CardSettings
from patients.policy.schemas import CardSettingsRead, CardSettingsUpdate

router = APIRouter(prefix="/settings", tags=["settings"])


def _read(row: CardSettings) -> CardSettingsRead:
    return CardSettingsRead(
        required_fields_enabled=row.required_fields_enabled,
        card_out_days=row.card_out_days,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
    )


@router.get("", dependencies=[require(rights.READ)])
async def get_card_settings(session: SessionDep, response: Response) -> CardSettingsRead:
    """The card settings (front ends read them to mark required fields); `ETag`: their version."""
    row = await service.get_settings(session)
    set_etag(response, row)
    return _read(row)


@router.put("")
async def put_card_settings(
    data: CardSettingsUpdate,
    session: SessionDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> CardSettingsRead:
    """Change the card settings. `If-Match` (the `ETag` of GET /settings) is required: another
    version → 412, none → 428."""
    row = await service.update_settings(session, data=data, principal=principal, if_match=if_match)
    set_etag(response, row)
    return _read(row)
