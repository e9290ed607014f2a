"""SQL of lab doctors."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.doctors.models import LabDoctor


class LabDoctorRepository(RepositoryBase[LabDoctor]):
    model = LabDoctor

    async def page(self, *, limit: int, offset: int) -> tuple[Sequence[LabDoctor], int]:
        return await self.paginate(select(LabDoctor).order_by(LabDoctor.user_id), limit=limit, offset=offset)
