"""SQL of the attach codes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from clinic_shared.repository import RepositoryBase
from ondoc_bridge.attach.models import AttachCode


class AttachCodeRepository(RepositoryBase[AttachCode]):
    model = AttachCode

    async def issued_since(self, patient_id: uuid.UUID, since: datetime) -> Sequence[datetime]:
        """When the card's codes issued after `since` were issued."""
        statement = select(AttachCode.issued_at).where(
            AttachCode.patient_id == patient_id, AttachCode.issued_at > since
        )
        return (await self.session.execute(statement)).scalars().all()

    async def release_expired(self, now: datetime) -> None:
        """Expired codes stop holding their digits."""
        await self.session.execute(
            update(AttachCode)
            .where(AttachCode.live_code.is_not(None), AttachCode.expires_at <= now)
            .values(live_code=None)
        )

    async def revoke_live_of(self, patient_id: uuid.UUID, now: datetime) -> None:
        """A new code replaces the patient's earlier ones."""
        await self.session.execute(
            update(AttachCode)
            .where(AttachCode.patient_id == patient_id, AttachCode.live_code.is_not(None))
            .values(live_code=None, revoked_at=now)
        )

    async def live(self, code: str, now: datetime) -> AttachCode | None:
        """The live, unexpired code with these digits (locked for use)."""
        statement = (
            select(AttachCode).where(AttachCode.live_code == code, AttachCode.expires_at > now).with_for_update()
        )
        return (await self.session.execute(statement)).scalar_one_or_none()
