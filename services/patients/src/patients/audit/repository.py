"""SQL of the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from clinic_shared.db import table_of
from clinic_shared.repository import RepositoryBase
from patients.audit.models import AuditRecord


class AuditRepository(RepositoryBase[AuditRecord]):
    model = AuditRecord

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            # Core, not ORM bulk insert: thousands of rows (an import) cost a fraction of the time.
            await self.session.execute(insert(table_of(AuditRecord)), rows)

    async def page(
        self,
        *,
        card_id: uuid.UUID | None,
        user_id: uuid.UUID | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[AuditRecord], int]:
        statement = select(AuditRecord)
        if card_id is not None:
            statement = statement.where(AuditRecord.card_id == card_id)
        if user_id is not None:
            statement = statement.where(AuditRecord.user_id == user_id)
        if action is not None:
            statement = statement.where(AuditRecord.action == action)
        if since is not None:
            statement = statement.where(AuditRecord.at >= since)
        if until is not None:
            statement = statement.where(AuditRecord.at < until)
        statement = statement.order_by(AuditRecord.at.desc(), AuditRecord.id)
        return await self.paginate(statement, limit=limit, offset=offset)
