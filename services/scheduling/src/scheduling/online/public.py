"""The public widget API (SCH-13), authenticated by the clinic's `X-Api-Key`, never by a staff token.

`/online/doctors`, `/online/services`, `/online/free-slots`, `POST /online/appointments`,
`DELETE /online/appointments/{id}?phone=`. The gateway forwards these without a bearer token.
The key is declared as the OpenAPI security scheme `WidgetApiKey` (apiKey in the `X-Api-Key`
header) on each of these operations, so clients and the docs see how to authenticate.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.security import APIKeyHeader

from clinic_shared.pagination import Page
from clinic_shared.service import RuntimeDep, SessionDep
from scheduling.appointments.context import Actor, Context, make_context
from scheduling.deps import SettingsDep
from scheduling.freeslots import service as freeslots
from scheduling.freeslots.schemas import FreeSlotPage, FreeSlotQuery
from scheduling.localtime import zone
from scheduling.online import service as setup
from scheduling.online import widget
from scheduling.online.models import ApiKey
from scheduling.online.schemas import OnlineBooked, OnlineBooking, PublicDoctor, PublicService
from scheduling.preferences import service as preferences

ONLINE_ACTOR = Actor(None, "online")
API_KEY_HEADER = "X-Api-Key"
SECURITY_SCHEME = "WidgetApiKey"
# auto_error=False: a missing key is refused by `setup.authenticate`, as a problem-details 401.
_api_key = APIKeyHeader(
    name=API_KEY_HEADER,
    scheme_name=SECURITY_SCHEME,
    description="the clinic's widget key (POST /online/api-keys); a staff token is not accepted",
    auto_error=False,
)


async def _widget_key(session: SessionDep, x_api_key: Annotated[str | None, Depends(_api_key)]) -> ApiKey:
    return await setup.authenticate(session, x_api_key)


WidgetKey = Annotated[ApiKey, Depends(_widget_key)]
router = APIRouter(prefix="/online", tags=["online booking (public widget)"])


@router.get("/doctors")
async def list_online_doctors(session: SessionDep, _: WidgetKey) -> Page[PublicDoctor]:
    """Doctors who take online bookings: name, specializations and building."""
    items = await widget.present_doctors(session, await widget.online_doctors(session))
    return Page(items=items, total=len(items))


@router.get("/services")
async def list_online_services(session: SessionDep, _: WidgetKey) -> Page[PublicService]:
    """Services offered online, with modes and each doctor's price quote (general discount applied)."""
    items = await widget.online_services(session)
    return Page(items=items, total=len(items))


@router.get("/free-slots")
async def search_online_free_slots(
    session: SessionDep, settings: SettingsDep, _: WidgetKey, query: Annotated[FreeSlotQuery, Query()]
) -> FreeSlotPage:
    """Free slots of doctors who take online bookings (same engine as /free-slots)."""
    prefs = await preferences.current(session)
    return await freeslots.find(session, query, tz=zone(settings.timezone), prefs=prefs, online_only=True)


async def _context(session: SessionDep, runtime: RuntimeDep, settings: SettingsDep) -> Context:
    return await make_context(session, publisher=runtime, actor=ONLINE_ACTOR, settings=settings)


@router.post("/appointments", status_code=status.HTTP_201_CREATED)
async def book_online_appointment(
    data: OnlineBooking, session: SessionDep, runtime: RuntimeDep, settings: SettingsDep, _: WidgetKey
) -> OnlineBooked:
    """Book a free slot; 409 when it is taken or outside working hours. Record type "online"."""
    return await widget.book(await _context(session, runtime, settings), data)


@router.delete("/appointments/{appointment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_online_appointment(
    appointment_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    _: WidgetKey,
    phone: Annotated[str | None, Query(max_length=32, description="the phone the booking was made with")] = None,
    comment: Annotated[str | None, Query(max_length=500, description="why, in the patient's own words")] = None,
) -> Response:
    """Cancel one's own online booking; 404 unless `phone` matches the booking's. Always goes
    through (reason «Отменена пациентом на сайте»), keeping `comment` as the patient wrote it."""
    await widget.cancel(await _context(session, runtime, settings), appointment_id, phone, comment)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
