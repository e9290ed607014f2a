"""/appointments: book, search, read, edit/move, copy, trash, statuses, journal, card link.

Routers of fixed paths under /appointments/ (e.g. `export.xlsx`) must be included in the app
before this one: `/appointments/{appointment_id}` would otherwise take them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from scheduling import idempotency
from scheduling.appointments import linking, search, service, statuses, trash, views
from scheduling.appointments.context import Actor, Context, Precondition, make_context
from scheduling.appointments.models import Appointment
from scheduling.appointments.repository import AppointmentRepository
from scheduling.appointments.schemas import (
    AppointmentCreate,
    AppointmentRead,
    AppointmentUpdate,
    CopyRequest,
    HistoryEntry,
    LinkCard,
    RestoreRequest,
    StatusChange,
    StatusHistoryEntry,
)
from scheduling.deps import AuthorizationDep, Deleter, Reader, SettingsDep, Writer
from scheduling.events import Publisher
from scheduling.localtime import clinic_today, zone
from scheduling.settings import SchedulingSettings

router = APIRouter(prefix="/appointments", tags=["appointments"])


async def context(
    session: AsyncSession,
    publisher: Publisher,
    principal: Principal,
    settings: SchedulingSettings,
    *,
    if_match: str | None = None,
    required: bool | None = None,
) -> Context:
    """The operation's context for a staff user; with `required` set, an edit of an existing
    appointment checked against its `If-Match` (428 without one when `required`)."""
    precondition = None if required is None else Precondition(if_match, principal, required)
    return await make_context(
        session, publisher=publisher, actor=Actor.of(principal), settings=settings, precondition=precondition
    )


async def read(
    session: AsyncSession, settings: SchedulingSettings, appointment: Appointment, known: Iterable[Any] = ()
) -> AppointmentRead:
    """One appointment as users see it (`known`: directory items already loaded)."""
    today = clinic_today(zone(settings.timezone))
    [item] = await views.present_many(session, [appointment], today=today, minor_age=settings.minor_age, known=known)
    return item


@router.get("")
async def search_appointments(
    session: SessionDep,
    settings: SettingsDep,
    _: Reader,
    page: PageDep,
    filters: Annotated[search.AppointmentFilters, Query()],
) -> Page[AppointmentRead]:
    """The search grid: by card, number, name, phone, building, cabinet, period, doctors,
    status, record type; `tomorrow=true` for the call list; `deleted=true` searches the trash."""
    tz = zone(settings.timezone)
    found = search.criteria(filters, tz=tz, region=settings.phone_region)
    rows, total = await search.search(session, found, limit=page.limit, offset=page.offset)
    items = await views.present_many(session, rows, today=clinic_today(tz), minor_age=settings.minor_age)
    return Page(items=items, total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_appointment(
    data: AppointmentCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    authorization: AuthorizationDep,
    idempotency_key: Annotated[
        str | None, Header(alias=idempotency.HEADER, description="repeat a lost request safely")
    ] = None,
) -> AppointmentRead:
    """Book a slot; 409 outside working time, in a break or over another appointment.

    With an `Idempotency-Key`, sending the same booking again returns the appointment it made.
    """
    ctx = await context(session, runtime, principal, settings)
    created: list[Appointment] = []

    async def create() -> uuid.UUID:
        appointment = await service.create_appointment(ctx, data, runtime=runtime, authorization=authorization)
        created.append(appointment)
        return appointment.id

    appointment_id = await idempotency.once(
        session,
        operation="create_appointment",
        user_id=principal.user_id,
        key=idempotency_key,
        body=data.model_dump(mode="json") if idempotency_key is not None else None,
        create=create,
    )
    if created:
        # Made by this request: present it as it is in memory, with what the booking loaded.
        return await read(session, settings, created[0], known=ctx.loaded)
    return await read(session, settings, await service.get_appointment(session, appointment_id))


@router.get("/{appointment_id}")
async def get_appointment(
    appointment_id: uuid.UUID, session: SessionDep, settings: SettingsDep, _: Reader, response: Response
) -> AppointmentRead:
    """One appointment, also from the trash; its `ETag` is its version (send it as `If-Match`)."""
    appointment = await service.get_appointment(session, appointment_id)
    set_etag(response, appointment)
    return await read(session, settings, appointment)


@router.patch("/{appointment_id}")
async def update_appointment(
    appointment_id: uuid.UUID,
    data: AppointmentUpdate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> AppointmentRead:
    """Move, resize or edit; a move is checked like a new booking.

    `If-Match` (or the body's `version`) is required: 412 when someone changed it meanwhile,
    428 without one."""
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=True)
    appointment = await service.update_appointment(ctx, appointment_id, data)
    set_etag(response, appointment)
    return await read(session, settings, appointment)


@router.delete("/{appointment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_appointment(
    appointment_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Deleter,
    reason_id: Annotated[uuid.UUID | None, Query(description="deletion reason (required by the setting)")] = None,
    comment: Annotated[
        str | None, Query(max_length=500, description="the patient's own words when a patient cancelled")
    ] = None,
    reason_code: Annotated[
        Literal["ondoc_patient"] | None,
        Query(
            description=(
                "instead of reason_id: a reserved reason by its code, for a patient's own cancellation relayed by "
                "a service (`ondoc_patient`: the ONDOC bridge only, 403 for anyone else); it always goes through"
            )
        ),
    ] = None,
    if_match: IfMatch = None,
) -> Response:
    """Into the trash, with a reason (and the patient's own words in `comment`); `If-Match`
    required (412 when changed meanwhile, 428 without one)."""
    if reason_code is not None:
        trash.check_reason_code_caller(reason_code, principal.service)
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=True)
    await trash.delete_appointment(ctx, appointment_id, reason_id=reason_id, comment=comment, reason_code=reason_code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{appointment_id}/restore")
async def restore_appointment(
    appointment_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Deleter,
    response: Response,
    data: RestoreRequest | None = None,
    if_match: IfMatch = None,
) -> AppointmentRead:
    """Out of the trash: to its slot, or to `start` / `doctor_id`; 409 when taken; `If-Match`
    honoured (412), not required."""
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=False)
    appointment = await trash.restore_appointment(ctx, appointment_id, data or RestoreRequest())
    set_etag(response, appointment)
    return await read(session, settings, appointment)


@router.post("/{appointment_id}/copy", status_code=status.HTTP_201_CREATED)
async def copy_appointment(
    appointment_id: uuid.UUID,
    data: CopyRequest,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
) -> AppointmentRead:
    """A new appointment for the same patient at `start` (and `doctor_id`); no If-Match needed."""
    ctx = await context(session, runtime, principal, settings)
    appointment = await service.copy_appointment(ctx, appointment_id, data)
    set_etag(response, appointment)
    return await read(session, settings, appointment)


@router.post("/{appointment_id}/status")
async def change_status(
    appointment_id: uuid.UUID,
    data: StatusChange,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    response: Response,
    if_match: IfMatch = None,
) -> AppointmentRead:
    """Set the status; kept in the status history; may mark the appointment processed.
    `If-Match` required (412 / 428)."""
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=True)
    appointment = await statuses.change_status(ctx, appointment_id, data.status_id)
    set_etag(response, appointment)
    return await read(session, settings, appointment)


@router.get("/{appointment_id}/status-history")
async def list_status_history(appointment_id: uuid.UUID, session: SessionDep, _: Reader) -> Page[StatusHistoryEntry]:
    """The patient's movement through the clinic: each status with its time and who set it."""
    await service.get_appointment(session, appointment_id)
    rows = await AppointmentRepository(session).status_history(appointment_id)
    items = await views.status_history(session, rows)
    return Page(items=items, total=len(items))


@router.get("/{appointment_id}/history")
async def list_appointment_history(appointment_id: uuid.UUID, session: SessionDep, _: Reader) -> Page[HistoryEntry]:
    """The change journal: who created and changed what, field by field — with the names of
    doctors, cabinets, statuses… as they were then, and times in the clinic's zone."""
    await service.get_appointment(session, appointment_id)
    rows = await AppointmentRepository(session).history(appointment_id)
    items = await views.history(session, rows)
    return Page(items=items, total=len(items))


@router.post("/{appointment_id}/link-card")
async def link_card(
    appointment_id: uuid.UUID,
    data: LinkCard,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    authorization: AuthorizationDep,
    response: Response,
    if_match: IfMatch = None,
) -> AppointmentRead:
    """Link the primary patient to an existing card, or create the card from the appointment.
    `If-Match` required (412 / 428)."""
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=True)
    appointment = await linking.link_card(ctx, appointment_id, data, runtime=runtime, authorization=authorization)
    set_etag(response, appointment)
    return await read(session, settings, appointment)
