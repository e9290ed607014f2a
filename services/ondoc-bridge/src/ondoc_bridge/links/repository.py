"""SQL of the links."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from ondoc_bridge.links.models import ATTACHED, PatientLink


class LinkRepository(RepositoryBase[PatientLink]):
    model = PatientLink

    async def attached_for_patient(self, patient_id: uuid.UUID) -> PatientLink | None:
        """The card's live link, if any."""
        statement = select(PatientLink).where(PatientLink.patient_id == patient_id, PatientLink.status == ATTACHED)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def attached_for_ondoc(self, ondoc_patient_id: str) -> PatientLink | None:
        """The ONDOC patient's live link, if any."""
        statement = select(PatientLink).where(
            PatientLink.ondoc_patient_id == ondoc_patient_id, PatientLink.status == ATTACHED
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def is_attached(self, patient_id: uuid.UUID, ondoc_patient_id: str) -> bool:
        """The card is attached, to this ONDOC patient."""
        link = await self.attached_for_patient(patient_id)
        return link is not None and link.ondoc_patient_id == ondoc_patient_id

    async def search(
        self, *, status: str | None, patient_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[Sequence[PatientLink], int]:
        """Links filtered by status and card, newest first."""
        statement = select(PatientLink)
        if status is not None:
            statement = statement.where(PatientLink.status == status)
        if patient_id is not None:
            statement = statement.where(PatientLink.patient_id == patient_id)
        statement = statement.order_by(PatientLink.attached_at.desc(), PatientLink.id)
        return await self.paginate(statement, limit=limit, offset=offset)
