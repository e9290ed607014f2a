"""SQL of mailing schedules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from notifier.schedules.models import MailingSchedule


class ScheduleRepository(RepositoryBase[MailingSchedule]):
    model = MailingSchedule

    async def enabled_of_types(self, types: Iterable[str]) -> Sequence[MailingSchedule]:
        statement = (
            select(MailingSchedule)
            .where(MailingSchedule.enabled.is_(True), MailingSchedule.type.in_(list(types)))
            .order_by(MailingSchedule.created_at)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def page_filtered(
        self, *, schedule_type: str | None, channel: str | None, enabled: bool | None, limit: int, offset: int
    ) -> tuple[Sequence[MailingSchedule], int]:
        statement = select(MailingSchedule)
        if schedule_type:
            statement = statement.where(MailingSchedule.type == schedule_type)
        if channel:
            statement = statement.where(MailingSchedule.channel == channel)
        if enabled is not None:
            statement = statement.where(MailingSchedule.enabled.is_(enabled))
        statement = statement.order_by(MailingSchedule.created_at, MailingSchedule.id)
        return await self.paginate(statement, limit=limit, offset=offset)
