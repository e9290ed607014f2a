"""The port: everything the bridge asks of ONDOC. Only an adapter implements it; when ONDOC's
real specification arrives, only the adapter changes."""

from __future__ import annotations

from typing import Any, Protocol

from ondoc_bridge.ondoc.contract import (
    AppointmentUpsert,
    AppointmentUpsertAnswer,
    DirectoryKind,
    DirectoryUpload,
    FreeSlotsUpload,
    PatientDetach,
)


class OndocPort(Protocol):
    """Calls to ONDOC. Each raises `OndocTransientError` or `OndocPermanentError` on failure."""

    async def upsert_appointment(self, appointment: AppointmentUpsert) -> AppointmentUpsertAnswer:
        """Create, update, cancel or re-activate an appointment (by our id and version)."""
        ...

    async def detach_patient(self, ondoc_patient_id: str, request: PatientDetach) -> None:
        """Detach a patient from the clinic in ONDOC."""
        ...

    async def upload_directory(self, kind: DirectoryKind, upload: DirectoryUpload) -> None:
        """Replace ONDOC's copy of one of our directories."""
        ...

    async def upload_free_slots(self, upload: FreeSlotsUpload) -> None:
        """Replace ONDOC's copy of our free slots."""
        ...

    async def latest_directory(self, kind: DirectoryKind) -> dict[str, Any]:
        """What ONDOC's "request data" shows for a directory: the latest upload."""
        ...
