"""/waitlist and /appointments/{id}/to-waitlist (SCH-7)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.dates import ApiAwareDateTime, ApiDate
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from scheduling.appointments.router import context, read
from scheduling.appointments.schemas import AppointmentRead
from scheduling.deps import AuthorizationDep, Reader, SettingsDep, Writer
from scheduling.waitlist import service
from scheduling.waitlist.repository import WaitlistRepository
from scheduling.waitlist.schemas import ToWaitlist, WaitlistBook, WaitlistCreate, WaitlistRead

router = APIRouter(tags=["waiting list"])


@router.get("/waitlist")
async def list_entries(
    session: SessionDep,
    _: Reader,
    page: PageDep,
    date: ApiDate | None = None,
    doctor_id: uuid.UUID | None = None,
    specialization_id: uuid.UUID | None = None,
    updated_since: Annotated[
        ApiAwareDateTime | None,
        Query(description="only entries added at or after this instant (for clients that poll)"),
    ] = None,
) -> Page[WaitlistRead]:
    """Entries of a date plus every undated entry (or all entries without `date`).

    Entries are never edited, only added and removed (booked or deleted): `updated_since`
    gives the ones added since; a removed entry is no longer listed."""
    repository = WaitlistRepository(session)
    statement = repository.listing(
        on_date=date, doctor_id=doctor_id, specialization_id=specialization_id, updated_since=updated_since
    )
    rows, total = await repository.paginate(statement, limit=page.limit, offset=page.offset)
    return Page(items=[service.present(e) for e in rows], total=total)


@router.post("/waitlist", status_code=status.HTTP_201_CREATED)
async def create_entry(
    data: WaitlistCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    authorization: AuthorizationDep,
) -> WaitlistRead:
    """Put a patient on the waiting list, with or without a wished date and time."""
    ctx = await context(session, runtime, principal, settings)
    return service.present(await service.create_entry(ctx, data, runtime=runtime, authorization=authorization))


@router.get("/waitlist/{entry_id}")
async def get_entry(entry_id: uuid.UUID, session: SessionDep, _: Reader, response: Response) -> WaitlistRead:
    """One entry, with its `ETag`."""
    entry = await service.get_entry(session, entry_id)
    set_etag(response, service.versioned(entry))
    return service.present(entry)


@router.delete("/waitlist/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_entry(
    entry_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, principal: Writer, if_match: IfMatch = None
) -> Response:
    """Remove an entry; `If-Match` honoured (412), not required."""
    entry = await service.get_entry(session, entry_id)
    check_if_match(if_match, service.versioned(entry), principal)
    await service.delete_entry(session, entry_id, publisher=runtime)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/waitlist/{entry_id}/book", status_code=status.HTTP_201_CREATED)
async def book_entry(
    entry_id: uuid.UUID,
    data: WaitlistBook,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    authorization: AuthorizationDep,
) -> AppointmentRead:
    """Book the entry into a free slot (usual checks); the entry is removed."""
    ctx = await context(session, runtime, principal, settings)
    appointment = await service.book_entry(ctx, entry_id, data, runtime=runtime, authorization=authorization)
    return await read(session, settings, appointment)


@router.post("/appointments/{appointment_id}/to-waitlist", status_code=status.HTTP_201_CREATED)
async def move_to_waitlist(
    appointment_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Writer,
    data: ToWaitlist | None = None,
    if_match: IfMatch = None,
) -> WaitlistRead:
    """Take the appointment off the schedule into a waiting-list entry; an edit of the
    appointment: `If-Match` required (412 / 428)."""
    ctx = await context(session, runtime, principal, settings, if_match=if_match, required=True)
    return service.present(await service.move_appointment(ctx, appointment_id, data or ToWaitlist()))
