"""Schedule search by patient (SCH-18, «Поиск созданной записи на прием по пациенту»).

The calendar's typeahead: a name ("Иванов И") or a phone (any format, or its last 4+
digits) → the patients found, each with the nearest upcoming and the most recent past
appointments, and what the calendar needs to open the day (the clinic `date`, `doctor_id`).

Appointments are matched by the search grid's own criteria (`AppointmentRepository.search`),
so the two searches never disagree. A patient is a card (`patient_id`) or, for primary
appointments that have no card, the typed-in name and phone. A card's visits are all of its
appointments, also those booked under an older name or phone.

Everything is grouped, ranked and cut in SQL: the first query ranks the patients (upcoming
visit first, the nearest first; then the most recent past visit), the second takes at most
`limit` appointments each way per patient with a window function. An appointment that has
not ended yet counts as upcoming: the patient standing at the desk is looking for it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Row, and_, case, func, null, or_, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, raiseload

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from clinic_shared.phones import MIN_PARTIAL_DIGITS, InvalidPhone, phone_search_key
from clinic_shared.service import SessionDep
from scheduling.appointments.models import Appointment
from scheduling.appointments.repository import AppointmentRepository, SearchCriteria
from scheduling.appointments.schemas import StatusRef
from scheduling.deps import Reader, SettingsDep
from scheduling.directories.models import AppointmentStatus, Cabinet, Doctor
from scheduling.directories.repository import existing_ids
from scheduling.localtime import local_date, zone
from scheduling.names import full_name, parse_search_terms
from scheduling.patients import service as patients
from scheduling.patients.models import PatientProjection

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
DEFAULT_APPOINTMENTS = 5
MAX_APPOINTMENTS = 20
DEFAULT_PATIENTS = 20
MAX_PATIENTS = 50

router = APIRouter(prefix="/calendar", tags=["calendar"])


# --- schemas ------------------------------------------------------------------------------
class PatientVisit(BaseModel):
    """One appointment of a found patient, with what the calendar needs to jump to it."""

    id: uuid.UUID
    number: str = Field(description="the appointment's number")
    start: ClinicDateTime
    end: ClinicDateTime
    date: dt.date = Field(description="the clinic's date of the start: open the calendar on this day")
    doctor_id: uuid.UUID = Field(description="open the calendar on this doctor's column")
    doctor_name: str | None = Field(description="null when the doctor is gone from the directory")
    cabinet_id: uuid.UUID | None
    cabinet_name: str | None
    status: StatusRef | None
    deleted: bool = Field(description="in the trash (listed only with include_deleted=true)")


class FoundPatient(BaseModel):
    """A card, or a primary patient (no card: same name and phone on the appointments)."""

    patient_id: uuid.UUID | None = Field(description="the card; null for a primary patient")
    is_primary: bool = Field(description="no card yet: name and phone as typed in the appointments")
    card_number: str | None = Field(description="the card's number, when scheduling knows the card")
    patient_name: str = Field(description="'Иванов Иван Петрович': the card's name, else the latest appointment's")
    last_name: str
    first_name: str
    middle_name: str | None
    mobile_phone: str | None = Field(description="E.164 digits without '+'")
    birth_date: dt.date | None = Field(description="when known (the card's, else the latest appointment's)")
    next_visit: PatientVisit | None = Field(description="the nearest appointment that has not ended yet")
    last_visit: PatientVisit | None = Field(description="the most recent appointment that has ended")
    upcoming: list[PatientVisit] = Field(description="up to `limit` appointments not ended yet, nearest first")
    past: list[PatientVisit] = Field(description="up to `limit` ended appointments, most recent first")
    upcoming_total: int = Field(description="how many upcoming appointments the patient has in all")
    past_total: int = Field(description="how many past appointments the patient has in all")


class PatientSearchResult(BaseModel):
    """GET /calendar/patient-search: the patients found, those with an upcoming visit first."""

    query: str = Field(description="the query as received (trimmed)")
    match: Literal["name", "phone"] = Field(description="how the query was read")
    patients: list[FoundPatient]
    truncated: bool = Field(description="more patients match than `patients_limit`: type more")


# --- the query ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PatientQuery:
    """The normalised query: name terms or a phone key (full number, or its last digits)."""

    text: str
    name_terms: list[str]
    phone: str | None = None
    phone_exact: bool = True

    @property
    def match(self) -> Literal["name", "phone"]:
        return "phone" if self.phone else "name"


def parse_query(raw: str, *, region: str) -> PatientQuery:
    """A query with a letter is a name; one without is a phone. 422 naming `q` otherwise."""
    text = raw.strip()
    if len(text) < MIN_QUERY_LENGTH:
        raise ValidationFailed.field("q", f"must be at least {MIN_QUERY_LENGTH} characters")
    if any(char.isalpha() for char in text):
        terms = parse_search_terms(text)
        if not terms:
            raise ValidationFailed.field("q", "must contain a name or a phone number")
        return PatientQuery(text=text, name_terms=terms)
    try:
        phone, exact = phone_search_key(text, region)
    except InvalidPhone:
        raise ValidationFailed.field(
            "q", f"must be a name or a phone number (at least {MIN_PARTIAL_DIGITS} of its last digits)"
        ) from None
    return PatientQuery(text=text, name_terms=[], phone=phone, phone_exact=exact)


# A patient's key: the card, or (for primary appointments) the normalised name and phone.
PatientKey = tuple[uuid.UUID | None, str | None, str | None, str | None, str | None]


def _key_columns() -> list[ColumnElement[Any] | InstrumentedAttribute[Any]]:
    primary = Appointment.patient_id.is_(None)
    return [
        Appointment.patient_id,
        case((primary, Appointment.last_name_norm)),
        case((primary, Appointment.first_name_norm)),
        case((primary, Appointment.middle_name_norm)),
        case((primary, Appointment.mobile_phone)),
    ]


def _key_of(appointment: Appointment) -> PatientKey:
    if appointment.patient_id is not None:
        return (appointment.patient_id, None, None, None, None)
    return (
        None,
        appointment.last_name_norm,
        appointment.first_name_norm,
        appointment.middle_name_norm,
        appointment.mobile_phone,
    )


def _visible(include_deleted: bool) -> ColumnElement[bool]:
    return true() if include_deleted else Appointment.deleted.is_(False)


async def _ranked_patients(
    session: AsyncSession, query: PatientQuery, *, now: dt.datetime, include_deleted: bool, max_patients: int
) -> Sequence[Row[Any]]:
    """Keys of the matching patients with next/last visit and counts, best first, max+1 rows."""
    repository = AppointmentRepository(session)
    matching = [
        repository.search(
            SearchCriteria(
                name_terms=query.name_terms, phone=query.phone, phone_exact=query.phone_exact, deleted=deleted
            )
        ).order_by(None)
        for deleted in ((False, True) if include_deleted else (False,))
    ]
    matched_cards = union_all(
        *[m.with_only_columns(Appointment.patient_id).where(Appointment.patient_id.is_not(None)) for m in matching]
    )
    # A card's visits: all its appointments (by the patient_id index), not only those matched.
    card_visits = select(
        Appointment.patient_id.label("patient_id"),
        null().label("last_name"),
        null().label("first_name"),
        null().label("middle_name"),
        null().label("phone"),
        Appointment.start_at.label("start_at"),
        Appointment.end_at.label("end_at"),
    ).where(Appointment.patient_id.in_(matched_cards), _visible(include_deleted))
    # A primary patient's visits: the matched ones (same name and phone match the same query).
    primary_visits = [
        m.with_only_columns(
            null().label("patient_id"),
            Appointment.last_name_norm,
            Appointment.first_name_norm,
            Appointment.middle_name_norm,
            Appointment.mobile_phone,
            Appointment.start_at,
            Appointment.end_at,
        ).where(Appointment.patient_id.is_(None))
        for m in matching
    ]
    visits = union_all(card_visits, *primary_visits).subquery("visits")
    v = visits.c
    upcoming = v.end_at > now
    next_start = func.min(case((upcoming, v.start_at))).label("next_start")
    last_start = func.max(case((~upcoming, v.start_at))).label("last_start")
    keys = (v.patient_id, v.last_name, v.first_name, v.middle_name, v.phone)
    statement = (
        select(
            *keys,
            next_start,
            last_start,
            func.count(case((upcoming, 1))).label("upcoming_total"),
            func.count(case((~upcoming, 1))).label("past_total"),
        )
        .group_by(*keys)
        .order_by(next_start.is_(None), next_start, last_start.desc(), *keys)
        .limit(max_patients + 1)
    )
    return (await session.execute(statement)).all()


async def _listed_appointments(
    session: AsyncSession, keys: Sequence[PatientKey], *, now: dt.datetime, include_deleted: bool, limit: int
) -> Sequence[Appointment]:
    """Up to `limit` upcoming (nearest first) and `limit` past (latest first) per patient."""
    cards = [key[0] for key in keys if key[0] is not None]
    owners: list[ColumnElement[bool]] = [Appointment.patient_id.in_(cards)] if cards else []
    for patient_id, last, first, middle, phone in keys:
        if patient_id is None:
            owners.append(
                and_(
                    Appointment.patient_id.is_(None),
                    Appointment.last_name_norm == last,
                    Appointment.first_name_norm == first,
                    Appointment.middle_name_norm == middle,
                    Appointment.mobile_phone.is_(None) if phone is None else Appointment.mobile_phone == phone,
                )
            )
    if not owners:
        return []
    upcoming = Appointment.end_at > now
    position = (
        func.row_number()
        .over(
            partition_by=[*_key_columns(), upcoming],
            # Upcoming: by start ascending (the first term); past: it is null, start descending.
            order_by=[case((upcoming, Appointment.start_at)), Appointment.start_at.desc(), Appointment.number],
        )
        .label("position")
    )
    ranked = select(Appointment.id, position).where(or_(*owners), _visible(include_deleted)).subquery("ranked")
    statement = (
        select(Appointment)
        .options(raiseload(Appointment.services))
        .where(Appointment.id.in_(select(ranked.c.id).where(ranked.c.position <= limit)))
        .order_by(Appointment.start_at)
    )
    return (await session.execute(statement)).scalars().all()


@dataclass
class _Directory:
    doctors: dict[uuid.UUID, Doctor]
    cabinets: dict[uuid.UUID, Cabinet]
    statuses: dict[uuid.UUID, AppointmentStatus]
    cards: dict[uuid.UUID, PatientProjection]


async def _directory(session: AsyncSession, appointments: Sequence[Appointment]) -> _Directory:
    def ids(name: str) -> list[uuid.UUID]:
        return list({getattr(a, name) for a in appointments if getattr(a, name) is not None})

    return _Directory(
        doctors=await existing_ids(session, Doctor, ids("doctor_id")),
        cabinets=await existing_ids(session, Cabinet, ids("cabinet_id")),
        statuses=await existing_ids(session, AppointmentStatus, ids("status_id")),
        cards=await patients.projections(session, set(ids("patient_id"))),
    )


def _visit(appointment: Appointment, found: _Directory, tz: ZoneInfo) -> PatientVisit:
    doctor = found.doctors.get(appointment.doctor_id)
    cabinet = found.cabinets.get(appointment.cabinet_id) if appointment.cabinet_id else None
    status = found.statuses.get(appointment.status_id) if appointment.status_id else None
    return PatientVisit(
        id=appointment.id,
        number=appointment.number,
        start=appointment.start_at,
        end=appointment.end_at,
        date=local_date(appointment.start_at, tz),
        doctor_id=appointment.doctor_id,
        doctor_name=doctor.name if doctor else None,
        cabinet_id=appointment.cabinet_id,
        cabinet_name=cabinet.name if cabinet else None,
        status=StatusRef(id=status.id, name=status.name, colour=status.colour) if status else None,
        deleted=appointment.deleted,
    )


def _patient(
    ranking: Row[Any], appointments: list[Appointment], found: _Directory, *, now: dt.datetime, tz: ZoneInfo
) -> FoundPatient:
    latest_first = sorted(appointments, key=lambda a: a.start_at, reverse=True)
    upcoming = [a for a in reversed(latest_first) if a.end_at > now]
    past = [a for a in latest_first if a.end_at <= now]
    latest = latest_first[0]
    card = found.cards.get(ranking.patient_id) if ranking.patient_id else None
    named: Any = card or latest
    birth_date = (card.birth_date if card else None) or next((a.birth_date for a in latest_first if a.birth_date), None)
    next_visits = [_visit(a, found, tz) for a in upcoming]
    past_visits = [_visit(a, found, tz) for a in past]
    return FoundPatient(
        patient_id=ranking.patient_id,
        is_primary=ranking.patient_id is None,
        card_number=card.card_number if card else None,
        patient_name=full_name(named.last_name, named.first_name, named.middle_name),
        last_name=named.last_name,
        first_name=named.first_name,
        middle_name=named.middle_name,
        mobile_phone=(card.mobile_phone if card else None) or latest.mobile_phone,
        birth_date=birth_date,
        next_visit=next_visits[0] if next_visits else None,
        last_visit=past_visits[0] if past_visits else None,
        upcoming=next_visits,
        past=past_visits,
        upcoming_total=ranking.upcoming_total,
        past_total=ranking.past_total,
    )


async def find_patients(
    session: AsyncSession,
    query: PatientQuery,
    *,
    tz: ZoneInfo,
    limit: int = DEFAULT_APPOINTMENTS,
    max_patients: int = DEFAULT_PATIENTS,
    include_deleted: bool = False,
    now: dt.datetime | None = None,
) -> PatientSearchResult:
    """The patients matching the query, each with their nearest and latest appointments."""
    now = now or utcnow()
    ranked = await _ranked_patients(session, query, now=now, include_deleted=include_deleted, max_patients=max_patients)
    page = ranked[:max_patients]
    keys: list[PatientKey] = [
        (row.patient_id, row.last_name, row.first_name, row.middle_name, row.phone) for row in page
    ]
    appointments = await _listed_appointments(session, keys, now=now, include_deleted=include_deleted, limit=limit)
    by_key: dict[PatientKey, list[Appointment]] = {key: [] for key in keys}
    for appointment in appointments:
        by_key.setdefault(_key_of(appointment), []).append(appointment)
    found = await _directory(session, appointments)
    return PatientSearchResult(
        query=query.text,
        match=query.match,
        patients=[
            _patient(row, by_key[key], found, now=now, tz=tz)
            for row, key in zip(page, keys, strict=True)
            if by_key[key]
        ],
        truncated=len(ranked) > max_patients,
    )


# --- the endpoint -------------------------------------------------------------------------
@router.get("/patient-search")
async def search_patient_appointments(
    session: SessionDep,
    settings: SettingsDep,
    _: Reader,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description=(
                f"at least {MIN_QUERY_LENGTH} characters: name words (each the start of a name part, "
                f"'Иванов И'), or a phone in any format, or its last {MIN_PARTIAL_DIGITS}+ digits"
            ),
        ),
    ],
    limit: Annotated[
        int, Query(ge=1, le=MAX_APPOINTMENTS, description="appointments per patient, each way (upcoming, past)")
    ] = DEFAULT_APPOINTMENTS,
    patients_limit: Annotated[
        int, Query(ge=1, le=MAX_PATIENTS, description="the most patients answered; `truncated` says there are more")
    ] = DEFAULT_PATIENTS,
    include_deleted: Annotated[bool, Query(description="also appointments in the trash")] = False,
) -> PatientSearchResult:
    """Schedule search by patient (SCH-18): past and future appointments by name or phone, to jump to."""
    query = parse_query(q, region=settings.phone_region)
    return await find_patients(
        session,
        query,
        tz=zone(settings.timezone),
        limit=limit,
        max_patients=patients_limit,
        include_deleted=include_deleted,
    )
