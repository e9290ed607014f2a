"""SQL of the mappings and upload states."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from clinic_shared.repository import RepositoryBase
from ondoc_bridge.directories.models import DirectoryMapping, DirectoryUpload


class MappingRepository(RepositoryBase[DirectoryMapping]):
    model = DirectoryMapping

    async def find(self, kind: str, our_id: uuid.UUID, *, for_update: bool = False) -> DirectoryMapping | None:
        """One row by its key; `for_update` locks it until the change commits."""
        return await self.session.get(DirectoryMapping, (kind, our_id), with_for_update=True if for_update else None)

    async def by_ondoc_id(self, kind: str, ondoc_id: str) -> DirectoryMapping | None:
        """The mapping of a directory that points at this ONDOC item."""
        statement = select(DirectoryMapping).where(DirectoryMapping.kind == kind, DirectoryMapping.ondoc_id == ondoc_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def all_by_kind(self) -> dict[str, dict[str, str]]:
        """kind → our id (text) → ONDOC id."""
        result: dict[str, dict[str, str]] = {}
        for mapping in (await self.session.execute(select(DirectoryMapping))).scalars():
            result.setdefault(mapping.kind, {})[str(mapping.our_id)] = mapping.ondoc_id
        return result

    async def of_kind(self, kind: str, *, limit: int, offset: int) -> tuple[Sequence[DirectoryMapping], int]:
        """One page of a directory's mappings."""
        statement = select(DirectoryMapping).where(DirectoryMapping.kind == kind).order_by(DirectoryMapping.our_id)
        return await self.paginate(statement, limit=limit, offset=offset)


class UploadRepository(RepositoryBase[DirectoryUpload]):
    model = DirectoryUpload

    async def find(self, kind: str) -> DirectoryUpload | None:
        """One row by its key."""
        return await self.session.get(DirectoryUpload, kind)

    async def all(self) -> Sequence[DirectoryUpload]:
        """Every upload state, by kind."""
        return (await self.session.execute(select(DirectoryUpload).order_by(DirectoryUpload.kind))).scalars().all()

    async def last_attempt(self) -> datetime | None:
        """When an upload was last tried."""
        return (await self.session.execute(select(func.max(DirectoryUpload.last_attempt_at)))).scalar_one_or_none()
