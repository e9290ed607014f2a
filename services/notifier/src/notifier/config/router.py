"""GET|PUT /settings (NOT-1)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.service import SessionDep
from notifier.config import service
from notifier.config.schemas import SettingsRead, SettingsUpdate
from notifier.deps import ContextDep, Reader, SettingsEditor

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
async def get_settings(session: SessionDep, context: ContextDep, _: Reader, response: Response) -> SettingsRead:
    """The notifier settings; passwords and tokens are shown only as `*_set` flags. `ETag`: their
    version (`"0"` while never saved), for `If-Match` on PUT."""
    read, version = await service.read_settings(session, fakes=context.settings.notifier_fakes)
    set_etag(response, version)
    return read


@router.put("")
async def put_settings(
    update: SettingsUpdate,
    session: SessionDep,
    context: ContextDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> SettingsRead:
    """Change the settings: given fields replace the stored ones; an omitted or null secret is kept.
    A provider URL or SMTP host on a loopback, private or link-local address is refused (422) unless
    the operator allows private targets (CLINIC_OUTBOUND_ALLOW_PRIVATE). `If-Match` (the `ETag` of
    GET /settings) is required: another version → 412, none → 428."""
    read, version = await service.update_settings(
        session,
        update=update,
        principal=principal,
        fakes=context.settings.notifier_fakes,
        now=context.now(),
        allow_private=context.settings.outbound_allow_private,
        if_match=if_match,
    )
    set_etag(response, version)
    return read
