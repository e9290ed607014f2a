"""SQL of appointments: overlaps, periods, the search grid, journals."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, func, or_, select

from clinic_shared.db import driver_connection
from clinic_shared.repository import RepositoryBase
from scheduling.appointments.models import Appointment, AppointmentHistory, StatusHistory
from scheduling.patients.models import PatientProjection


@dataclass
class SearchCriteria:
    """What the search grid (SCH-11) asks for, already normalised; empty means 'any'."""

    start_from: datetime | None = None
    start_before: datetime | None = None
    doctor_ids: list[uuid.UUID] = field(default_factory=list)
    patient_id: uuid.UUID | None = None
    building_id: uuid.UUID | None = None
    cabinet_id: uuid.UUID | None = None
    status_id: uuid.UUID | None = None
    record_type_id: uuid.UUID | None = None
    number: str | None = None
    card_number: str | None = None
    name_terms: list[str] = field(default_factory=list)
    phone: str | None = None
    phone_exact: bool = True
    needs_card_review: bool | None = None
    # None: active and deleted alike (a poller's `updated_since` learns of deletions too).
    deleted: bool | None = False
    updated_since: datetime | None = None


@functools.cache
def _overlapping_statement(with_cabinet: bool, with_exclusion: bool) -> Select[uuid.UUID]:
    """The overlap query, built once per shape: every booking asks it."""
    owner = Appointment.doctor_id == bindparam("doctor_id")
    if with_cabinet:
        owner = or_(owner, Appointment.cabinet_id == bindparam("cabinet_id"))
    statement = (
        select(Appointment.id)
        .where(
            owner,
            Appointment.deleted.is_(False),
            Appointment.start_at < bindparam("end"),
            Appointment.end_at > bindparam("start"),
        )
        .order_by(Appointment.start_at)
    )
    if with_exclusion:
        statement = statement.where(Appointment.id != bindparam("exclude_id"))
    return statement


# The same query in PostgreSQL's SQL ($2 NULL: no cabinet; $5: the appointment being moved).
_OVERLAPPING_SQL = (
    "SELECT id FROM appointments WHERE (doctor_id = $1 OR cabinet_id = $2) AND deleted IS false"
    " AND start_at < $4 AND end_at > $3 AND id <> $5 ORDER BY start_at"
)
_NO_APPOINTMENT = uuid.UUID(int=0)


class AppointmentRepository(RepositoryBase[Appointment]):
    model = Appointment

    async def overlapping(
        self,
        *,
        doctor_id: uuid.UUID,
        cabinet_id: uuid.UUID | None,
        start: datetime,
        end: datetime,
        exclude_id: uuid.UUID | None = None,
    ) -> list[uuid.UUID]:
        """Active appointments of the doctor or the cabinet that share time with [start, end)."""
        driver = await driver_connection(self.session)
        if driver is not None:  # PostgreSQL: every booking asks, so straight through asyncpg
            await self.session.flush()  # … after this session's own pending changes
            rows = await driver.fetch(
                _OVERLAPPING_SQL, doctor_id, cabinet_id, start, end, exclude_id or _NO_APPOINTMENT
            )
            return [row[0] for row in rows]
        statement = _overlapping_statement(cabinet_id is not None, exclude_id is not None)
        params: dict[str, object] = {"doctor_id": doctor_id, "start": start, "end": end}
        if cabinet_id is not None:
            params["cabinet_id"] = cabinet_id
        if exclude_id is not None:
            params["exclude_id"] = exclude_id
        return list((await self.session.execute(statement, params)).scalars())

    async def active_between(
        self,
        *,
        start: datetime,
        end: datetime,
        doctor_ids: Sequence[uuid.UUID] = (),
        cabinet_ids: Sequence[uuid.UUID] = (),
    ) -> Sequence[Appointment]:
        """Active appointments of these doctors/cabinets starting in [start, end), by time."""
        where = _between(start, end, doctor_ids, cabinet_ids, None)
        if where is None:
            return []
        statement = select(Appointment).where(*where).order_by(Appointment.start_at, Appointment.number)
        return (await self.session.execute(statement)).scalars().all()

    async def cells_between(
        self,
        *,
        start: datetime,
        end: datetime,
        doctor_ids: Sequence[uuid.UUID] = (),
        cabinet_ids: Sequence[uuid.UUID] = (),
        updated_since: datetime | None = None,
    ) -> Sequence[Row[Any]]:
        """What the calendar's cells show of the appointments `active_between` would return, as
        plain rows named like the model's attributes (no ORM objects: a day of 400 cells spent
        most of its time building and reading them); with `updated_since`, those created or
        changed since then, deleted ones included."""
        where = _between(start, end, doctor_ids, cabinet_ids, updated_since)
        if where is None:
            return []
        statement = select(*CELL_COLUMNS).where(*where).order_by(Appointment.start_at, Appointment.number)
        return (await self.session.execute(statement)).all()

    async def active_spans_between(
        self,
        *,
        start: datetime,
        end: datetime,
        doctor_ids: Sequence[uuid.UUID] = (),
        cabinet_ids: Sequence[uuid.UUID] = (),
    ) -> Sequence[Row[uuid.UUID, datetime, datetime]]:
        """(id, start_at, end_at) of the active appointments `active_between` would return: no ORM objects."""
        where = _between(start, end, doctor_ids, cabinet_ids, None)
        if where is None:
            return []
        statement = (
            select(Appointment.id, Appointment.start_at, Appointment.end_at)
            .where(*where)
            .order_by(Appointment.start_at)
        )
        return (await self.session.execute(statement)).all()

    def search(self, criteria: SearchCriteria) -> Select[Appointment]:
        """The search grid's query, in time order."""
        statement = select(Appointment)
        c = criteria
        conditions = [
            Appointment.deleted.is_(c.deleted) if c.deleted is not None else None,
            Appointment.updated_at >= c.updated_since if c.updated_since else None,
            Appointment.start_at >= c.start_from if c.start_from else None,
            Appointment.start_at < c.start_before if c.start_before else None,
            Appointment.doctor_id.in_(c.doctor_ids) if c.doctor_ids else None,
            Appointment.patient_id == c.patient_id if c.patient_id else None,
            Appointment.building_id == c.building_id if c.building_id else None,
            Appointment.cabinet_id == c.cabinet_id if c.cabinet_id else None,
            Appointment.status_id == c.status_id if c.status_id else None,
            Appointment.record_type_id == c.record_type_id if c.record_type_id else None,
            Appointment.number == c.number if c.number else None,
            _card_review(c.needs_card_review),
        ]
        statement = statement.where(*[condition for condition in conditions if condition is not None])
        if c.card_number:
            # "1" finds card "000001": leading zeros are formatting, not part of the number.
            bare = c.card_number.lstrip("0") or "0"
            cards = select(PatientProjection.id).where(
                or_(
                    PatientProjection.card_number == c.card_number,
                    func.ltrim(PatientProjection.card_number, "0") == bare,
                )
            )
            statement = statement.where(Appointment.patient_id.in_(cards))
        for term in c.name_terms:
            statement = statement.where(or_(*_word_starts(term)))
        if c.phone:
            if c.phone_exact:
                statement = statement.where(Appointment.mobile_phone == c.phone)
            else:
                statement = statement.where(Appointment.mobile_phone.like(f"%{c.phone}"))
        return statement.order_by(Appointment.start_at, Appointment.number)

    async def history(self, appointment_id: uuid.UUID) -> Sequence[AppointmentHistory]:
        """The change journal of an appointment, oldest first."""
        statement = (
            select(AppointmentHistory)
            .where(AppointmentHistory.appointment_id == appointment_id)
            .order_by(AppointmentHistory.version, AppointmentHistory.at)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def status_history(self, appointment_id: uuid.UUID) -> Sequence[StatusHistory]:
        """Every status the appointment had, oldest first."""
        statement = (
            select(StatusHistory).where(StatusHistory.appointment_id == appointment_id).order_by(StatusHistory.at)
        )
        return (await self.session.execute(statement)).scalars().all()


def _card_review(wanted: bool | None) -> ColumnElement[bool] | None:
    """The filter of website bookings flagged for a card (OND-4); None: either."""
    if wanted is None:
        return None
    return Appointment.card_match.is_not(None) if wanted else Appointment.card_match.is_(None)


def _prefix(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _word_starts(term: str) -> list[ColumnElement[bool]]:
    """A name term starts a name part or a word inside one: "петр" finds "Иванова-Петрова"
    and "Римский Корсаков" is found by "корс" (double surnames, SCH-18)."""
    prefix = _prefix(term)
    columns = (Appointment.last_name_norm, Appointment.first_name_norm, Appointment.middle_name_norm)
    patterns = (prefix, f"%-{prefix}", f"% {prefix}")
    return [column.like(pattern, escape="\\") for column in columns for pattern in patterns]


# What `views.compact` reads of an appointment (`views.CellSource`), labelled with the model's attribute names.
CELL_COLUMNS = tuple(
    getattr(Appointment, name).label(name)
    for name in (
        "id",
        "number",
        "doctor_id",
        "cabinet_id",
        "start_at",
        "end_at",
        "patient_id",
        "last_name",
        "first_name",
        "middle_name",
        "mobile_phone",
        "birth_date",
        "status_id",
        "processed",
        "overbooked",
        "note",
        "version",
        "deleted",
    )
)


def _between(
    start: datetime,
    end: datetime,
    doctor_ids: Sequence[uuid.UUID],
    cabinet_ids: Sequence[uuid.UUID],
    updated_since: datetime | None,
) -> list[ColumnElement[bool]] | None:
    """Appointments of these doctors/cabinets starting in [start, end): the active ones, or with
    `updated_since` those changed since (deleted ones too); None when no owner is asked for."""
    owners = []
    if doctor_ids:
        owners.append(Appointment.doctor_id.in_(doctor_ids))
    if cabinet_ids:
        owners.append(Appointment.cabinet_id.in_(cabinet_ids))
    if not owners:
        return None
    changed = Appointment.updated_at >= updated_since if updated_since is not None else Appointment.deleted.is_(False)
    return [or_(*owners), changed, Appointment.start_at >= start, Appointment.start_at < end]
