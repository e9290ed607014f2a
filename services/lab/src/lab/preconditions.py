"""If-Match on a create-or-replace PUT (#15): clinic_shared.concurrency, and a row that may not exist yet.

A workstation's printer and a user's lab doctor setting are made by their first PUT. With a row
there, the PUT is an edit like any other (412 on another version; 428 without If-Match for a
user, as for every setting). Without one there is nothing to lose: no precondition is needed,
`If-Match: *` is fine, and a version named is stale (someone deleted the row since): 412.
"""

from __future__ import annotations

from typing import Any

from clinic_shared.auth import Principal
from clinic_shared.concurrency import PreconditionFailed, check_if_match


def check_put(if_match: str | None, row: Any | None, principal: Principal | None, *, required: bool) -> None:
    """`check_if_match` for a PUT that creates the row when it is missing."""
    if row is not None:
        check_if_match(if_match, row, principal, required=required)
        return
    tags = [tag.strip() for tag in (if_match or "").split(",") if tag.strip()]
    if tags and "*" not in tags:
        raise PreconditionFailed("Someone changed this since you read it: reload it and make your change again.")
