"""SQL of lab doctors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.doctors.models import LabDoctor


class LabDoctorRepository(RepositoryBase[LabDoctor]):
    model = LabDoctor

    async def by_user(self, user_id: uuid.UUID, *, for_update: bool = False) -> LabDoctor | None:
        if not for_update:
            return await self.session.get(LabDoctor, user_id)
        statement = select(LabDoctor).where(LabDoctor.user_id == user_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, *, limit: int, offset: int) -> tuple[Sequence[LabDoctor], int]:
        return await self.paginate(select(LabDoctor).order_by(LabDoctor.user_id), limit=limit, offset=offset)
