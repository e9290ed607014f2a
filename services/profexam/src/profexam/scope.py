"""Which organisations a caller may see (PRO-8, «Права пользователей. Профосмотр»).

A value object with no database behind it, so every domain folder can take one: routers get it
from `deps.ScopeDep` (read from the `access` tables), services check it with `allows`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class OrganizationScope:
    """`organization_ids` None: every organisation (a user with no access entry)."""

    organization_ids: frozenset[uuid.UUID] | None

    @property
    def limited(self) -> bool:
        return self.organization_ids is not None

    def allows(self, organization_id: uuid.UUID | None) -> bool:
        return self.organization_ids is None or organization_id in self.organization_ids


EVERY_ORGANIZATION = OrganizationScope(None)
