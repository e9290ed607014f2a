"""Bodies of POST /patients/{patient_id}/attach-code."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel

from clinic_shared.clinic_time import ClinicDateTime


class AttachCodeRead(BaseModel):
    """The code to show to staff (and that the notifier sends to the patient)."""

    code: str
    expires_at: ClinicDateTime
    patient_id: uuid.UUID
    contact_priority: Literal["mobile", "email"]
