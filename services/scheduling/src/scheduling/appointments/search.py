"""The search grid (сетка, SCH-11): filters → criteria, "who comes tomorrow", the trash."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.dates import ApiAwareDateTime, ApiDate
from clinic_shared.errors import ValidationFailed
from clinic_shared.phones import InvalidPhone, phone_search_key
from scheduling.appointments.models import Appointment
from scheduling.appointments.repository import AppointmentRepository, SearchCriteria
from scheduling.localtime import clinic_today, day_start_utc
from scheduling.names import parse_search_terms


class AppointmentFilters(BaseModel):
    """Query parameters of GET /appointments (and of the export of the same result)."""

    date_from: ApiDate | None = Field(default=None, description="first clinic date of the period")
    date_to: ApiDate | None = Field(default=None, description="last clinic date of the period (inclusive)")
    tomorrow: bool = Field(default=False, description='"who comes tomorrow": the clinic\'s next date')
    doctor_id: list[uuid.UUID] = Field(default_factory=list, description="repeat for several doctors")
    patient_id: uuid.UUID | None = None
    card_number: str | None = Field(default=None, max_length=32)
    number: str | None = Field(default=None, max_length=20, description="appointment number")
    q: str | None = Field(default=None, max_length=200, description="patient name words, each a prefix of a part")
    phone: str | None = Field(default=None, max_length=32, description="any format, or 4+ last digits")
    building_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    status_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None
    needs_card_review: bool | None = Field(
        default=None, description="true: website bookings waiting for a receptionist to link a card (OND-4)"
    )
    deleted: bool = Field(default=False, description="true: search the trash")
    updated_since: ApiAwareDateTime | None = Field(
        default=None,
        description=(
            "only appointments created or changed at or after this instant, for clients that poll; "
            "deleted ones included (`deleted: true`) unless `deleted=true` asks for the trash only"
        ),
    )


def criteria(filters: AppointmentFilters, *, tz: ZoneInfo, region: str, today: date | None = None) -> SearchCriteria:
    """Normalise the filters: clinic dates → UTC bounds, name → terms, phone → digits."""
    start_from = start_before = None
    first, last = filters.date_from, filters.date_to
    if filters.tomorrow:
        if first is not None or last is not None:
            raise ValidationFailed.field("tomorrow", "cannot be combined with date_from or date_to")
        first = last = (today or clinic_today(tz)) + timedelta(days=1)
    if first is not None and last is not None and last < first:
        raise ValidationFailed.field("date_to", "must not be before date_from")
    if first is not None:
        start_from = day_start_utc(first, tz)
    if last is not None:
        start_before = day_start_utc(last + timedelta(days=1), tz)
    phone, exact = None, True
    if filters.phone and filters.phone.strip():
        try:
            phone, exact = phone_search_key(filters.phone, region)
        except InvalidPhone as exc:
            raise ValidationFailed.field("phone", str(exc)) from exc
    return SearchCriteria(
        start_from=start_from,
        start_before=start_before,
        doctor_ids=list(dict.fromkeys(filters.doctor_id)),
        patient_id=filters.patient_id,
        building_id=filters.building_id,
        cabinet_id=filters.cabinet_id,
        status_id=filters.status_id,
        record_type_id=filters.record_type_id,
        number=(filters.number or "").strip() or None,
        card_number=(filters.card_number or "").strip() or None,
        name_terms=parse_search_terms(filters.q),
        phone=phone,
        phone_exact=exact,
        needs_card_review=filters.needs_card_review,
        deleted=filters.deleted or (None if filters.updated_since is not None else False),
        updated_since=filters.updated_since,
    )


async def search(
    session: AsyncSession, found: SearchCriteria, *, limit: int, offset: int
) -> tuple[Sequence[Appointment], int]:
    """A page of the search grid, in time order."""
    repository = AppointmentRepository(session)
    return await repository.paginate(repository.search(found), limit=limit, offset=offset)
