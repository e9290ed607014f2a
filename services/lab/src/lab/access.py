"""Which labs' orders a caller may see (LAB-7).

A caller with `lab.all_labs` sees every lab. Otherwise a `lab_id` token claim (the gateway puts
user claims into tokens) or the user's /lab-doctors row limits them to one lab; a lab-doctors
row with `has_access: false` shuts them out. Anyone else (front desk) is not limited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.errors import Forbidden
from lab import rights
from lab.doctors import service as doctors_service


@dataclass(frozen=True)
class LabScope:
    """`lab_ids` None = every lab."""

    lab_ids: frozenset[uuid.UUID] | None

    def allows(self, lab_id: uuid.UUID | None) -> bool:
        return self.lab_ids is None or lab_id in self.lab_ids


EVERY_LAB = LabScope(None)


def scope_for(
    *, all_labs: bool, claim: object, doctor_lab_id: uuid.UUID | None, doctor_has_access: bool | None
) -> LabScope:
    """The scope from the right, the token claim and the lab-doctors row (None = no row)."""
    if all_labs:
        return EVERY_LAB
    if claim not in (None, ""):
        try:
            return LabScope(frozenset({uuid.UUID(str(claim))}))
        except ValueError:
            return LabScope(frozenset())  # a malformed claim must not widen access
    if doctor_has_access is False:
        raise Forbidden(
            "This user has no access to the laboratory.", code="lab-access-denied", missing_right=rights.ALL_LABS
        )
    if doctor_lab_id is not None:
        return LabScope(frozenset({doctor_lab_id}))
    return EVERY_LAB


async def lab_scope(session: AsyncSession, principal: Principal) -> LabScope:
    """The labs whose orders `principal` may see."""
    if principal.has(rights.ALL_LABS):
        return EVERY_LAB
    doctor = await doctors_service.find_doctor(session, user_id=principal.user_id)
    return scope_for(
        all_labs=False,
        claim=principal.claims.get("lab_id"),
        doctor_lab_id=doctor.lab_id if doctor else None,
        doctor_has_access=doctor.has_access if doctor else None,
    )
