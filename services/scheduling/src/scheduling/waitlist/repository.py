"""SQL of the waiting list."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Select, case, or_, select

from clinic_shared.repository import RepositoryBase
from scheduling.waitlist.models import WaitlistEntry


class WaitlistRepository(RepositoryBase[WaitlistEntry]):
    model = WaitlistEntry

    def listing(
        self,
        *,
        on_date: date | None,
        doctor_id: uuid.UUID | None,
        specialization_id: uuid.UUID | None,
        updated_since: datetime | None = None,
    ) -> Select[WaitlistEntry]:
        """Entries for a date (that date's and every undated one) or all; dated ones first."""
        statement = select(WaitlistEntry)
        if on_date is not None:
            statement = statement.where(or_(WaitlistEntry.wished_date == on_date, WaitlistEntry.wished_date.is_(None)))
        if doctor_id is not None:
            statement = statement.where(WaitlistEntry.doctor_id == doctor_id)
        if specialization_id is not None:
            statement = statement.where(WaitlistEntry.specialization_id == specialization_id)
        if updated_since is not None:
            statement = statement.where(WaitlistEntry.created_at >= updated_since)
        undated_last = case((WaitlistEntry.wished_date.is_(None), 1), else_=0)
        return statement.order_by(
            undated_last, WaitlistEntry.wished_date, WaitlistEntry.wished_time_from, WaitlistEntry.created_at
        )
