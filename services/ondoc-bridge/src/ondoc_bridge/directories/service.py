"""Uploading directories and free slots to ONDOC, and the mapping tables (OND-8)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import PreconditionFailed, check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import ClinicError, Conflict, NotFound, ServiceUnavailable
from clinic_shared.logging import get_logger
from clinic_shared.service import PeerClient, ServiceRuntime
from ondoc_bridge.config import service as config_service
from ondoc_bridge.directories import rules
from ondoc_bridge.directories.models import DirectoryMapping
from ondoc_bridge.directories.models import DirectoryUpload as UploadState
from ondoc_bridge.directories.repository import MappingRepository, UploadRepository
from ondoc_bridge.directories.schemas import MappingWrite, UploadRead
from ondoc_bridge.errors import IntegrationDisabled
from ondoc_bridge.ondoc.contract import DirectoryUpload, FreeSlotsUpload
from ondoc_bridge.ondoc.errors import OndocError, OndocNotConfigured
from ondoc_bridge.ondoc.http_adapter import OndocClients
from ondoc_bridge.problem_types import ITEM_ALREADY_MAPPED
from ondoc_bridge.settings import OndocSettings

log = get_logger(__name__)
PAGE = 500
SLOTS_PER_DOCTOR = 500


async def sync_now(
    runtime: ServiceRuntime, *, clients: OndocClients, settings: OndocSettings
) -> tuple[list[UploadRead], list[str]]:
    """Upload specializations, services, doctors and free slots now; the outcome of each is kept.
    Returns every directory's last upload and the kinds that failed this time.

    No transaction is held while scheduling and ONDOC are called.
    """
    async with runtime.db.read_session() as session:
        config = await config_service.load(session)
        config_service.require_enabled(config)
        connection, zone, zone_name = config_service.connection(config), config_service.zone(config), config.time_zone
        mappings = await MappingRepository(session).all_by_kind()
    try:
        adapter = clients.adapter(connection)
    except OndocNotConfigured as exc:
        raise IntegrationDisabled(str(exc)) from exc
    now = utcnow()
    client = runtime.peer("scheduling")
    specializations = await _all(client, "/specializations")
    services = await _all(client, "/services")
    doctors = await _all(client, "/doctors")
    payloads: dict[str, list[dict[str, Any]]] = {
        "specializations": rules.specialization_items(specializations, mappings),
        "services": rules.service_items(services, mappings),
        "doctors": rules.doctor_items(doctors, mappings),
    }
    outcomes: dict[str, tuple[int, str | None]] = {}
    for kind, items in payloads.items():
        try:
            await adapter.upload_directory(kind, DirectoryUpload(uploaded_at=now, items=items))  # type: ignore[arg-type]  # items are the directory's own schema, validated by the model
            outcomes[kind] = (len(items), None)
        except OndocError as exc:
            outcomes[kind] = (len(items), str(exc))
    online = [d for d in doctors if d.get("online_booking")]
    date_from, date_to = rules.slot_period(now, zone, settings.ondoc_slot_days)
    slot_rows: list[dict[str, Any]] = []
    for doctor in online:
        params = {
            "doctor_id": str(doctor["id"]),
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "duration_minutes": settings.ondoc_slot_minutes,
        }
        # The free-time search answers the nearest `limit` slots in one page (no offset).
        slot_rows.extend(await _all(client, "/free-slots", {**params, "limit": SLOTS_PER_DOCTOR}, paged=False))
    names = {str(d["id"]): str(d.get("name") or d.get("last_name") or "") for d in online}
    slots = rules.slot_items(slot_rows, doctor_names=names, mappings=mappings, zone=zone)
    upload = FreeSlotsUpload(
        uploaded_at=now,
        time_zone=zone_name,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        items=slots,
    )
    try:
        await adapter.upload_free_slots(upload)
        outcomes["free_slots"] = (len(slots), None)
    except OndocError as exc:
        outcomes["free_slots"] = (len(slots), str(exc))
    return await _record(runtime, outcomes, now=now), [kind for kind, (_, error) in outcomes.items() if error]


async def _record(
    runtime: ServiceRuntime, outcomes: dict[str, tuple[int, str | None]], *, now: datetime
) -> list[UploadRead]:
    async with runtime.db.session() as session:
        repository = UploadRepository(session)
        for kind, (count, error) in outcomes.items():
            state = await repository.find(kind)
            if state is None:
                state = await repository.add(UploadState(kind=kind, status="failed", last_attempt_at=now))
            state.status = "failed" if error else "uploaded"
            state.item_count = count
            state.last_attempt_at = now
            state.last_error = error
            if error is None:
                state.last_success_at = now
        await session.flush()
        result = [UploadRead.model_validate(state) for state in await repository.all()]
    failed = [kind for kind, (_, error) in outcomes.items() if error]
    log.info("ondoc.directories.uploaded", failed=failed, kinds=sorted(outcomes))
    return result


async def _all(
    client: httpx.AsyncClient | PeerClient, url: str, params: dict[str, Any] | None = None, *, paged: bool = True
) -> list[dict[str, Any]]:
    """Every item of one of scheduling's lists, page by page (or the one page it gives)."""
    items: list[dict[str, Any]] = []
    while True:
        query = {"limit": PAGE, **(params or {})}
        if paged:
            query["offset"] = len(items)
        try:
            response = await client.get(url, params=query)
        except (httpx.HTTPError, ClinicError) as exc:
            raise ServiceUnavailable(
                "The scheduling service is unavailable; the directories were not uploaded."
            ) from exc
        if response.status_code != 200:
            raise ServiceUnavailable(f"The scheduling service answered {response.status_code} for {url}.")
        body = response.json()
        page = body.get("items", []) if isinstance(body, dict) else body
        items.extend(page)
        total = body.get("total", len(items)) if isinstance(body, dict) else len(items)
        if not paged or not page or len(items) >= total:
            return items


async def uploads(session: AsyncSession) -> list[UploadRead]:
    """The last upload of each directory."""
    return [UploadRead.model_validate(state) for state in await UploadRepository(session).all()]


async def last_attempt(session: AsyncSession) -> datetime | None:
    """When an upload was last tried (None before the first)."""
    return await UploadRepository(session).last_attempt()


async def list_mappings(
    session: AsyncSession, *, kind: str, limit: int, offset: int
) -> tuple[Sequence[DirectoryMapping], int]:
    """Mappings of one directory."""
    return await MappingRepository(session).of_kind(kind, limit=limit, offset=offset)


async def get_mapping(session: AsyncSession, *, kind: str, our_id: uuid.UUID) -> DirectoryMapping:
    """The mapping of one of our items; 404 when there is none."""
    mapping = await MappingRepository(session).find(kind, our_id)
    if mapping is None:
        raise NotFound("This item is not mapped to ONDOC.")
    return mapping


async def put_mapping(
    session: AsyncSession,
    *,
    kind: str,
    our_id: uuid.UUID,
    data: MappingWrite,
    principal: Principal,
    if_match: str | None = None,
) -> DirectoryMapping:
    """Map one of our items to an ONDOC item (one ONDOC item per our item of a directory).
    With `if_match`, only the mapping of that version is replaced (412 otherwise, also when
    there is none any more)."""
    repository = MappingRepository(session)
    mapping = await repository.find(kind, our_id, for_update=True)
    _check_version(mapping, if_match, principal)
    taken = await repository.by_ondoc_id(kind, data.ondoc_id)
    if taken is not None and taken.our_id != our_id:
        raise Conflict(
            "This ONDOC item is already mapped to another of our items.",
            conflicts=[{"kind": kind, "our_id": str(taken.our_id)}],
            code=ITEM_ALREADY_MAPPED,
        )
    if mapping is None:
        mapping = DirectoryMapping(kind=kind, our_id=our_id)
        session.add(mapping)
    mapping.ondoc_id = data.ondoc_id
    mapping.note = data.note
    mapping.updated_at = utcnow()
    mapping.updated_by_username = principal.username
    await session.flush()
    return mapping


async def delete_mapping(
    session: AsyncSession, *, kind: str, our_id: uuid.UUID, principal: Principal, if_match: str | None = None
) -> None:
    """Forget the mapping of one of our items; 404 when there is none, 412 when `if_match`
    names another version."""
    repository = MappingRepository(session)
    mapping = await repository.find(kind, our_id, for_update=True)
    if mapping is None:
        raise NotFound("This item is not mapped to ONDOC.")
    check_if_match(if_match, mapping, principal)
    await repository.delete(mapping)


def _check_version(mapping: DirectoryMapping | None, if_match: str | None, principal: Principal) -> None:
    """If-Match on a mapping: its version must match; a precondition on a mapping that does
    not exist (deleted since it was read) fails too (RFC 9110: `*` needs a current one)."""
    if mapping is not None:
        check_if_match(if_match, mapping, principal)
    elif if_match is not None:
        raise PreconditionFailed(
            "Someone changed this since you read it: reload it and make your change again.", current_version=None
        )
