"""Settings of the patients service (`CLINIC_*` environment variables)."""

from __future__ import annotations

import phonenumbers
from pydantic import Field, field_validator

from clinic_shared.settings import ServiceSettings


class PatientsSettings(ServiceSettings):
    """Patients settings: the shared ones plus phone region and the age of majority."""

    service_name: str = "patients"
    phone_region: str = Field(
        default="RU", description="CLINIC_PHONE_REGION: ISO region for phone numbers typed without a country code"
    )
    minor_age: int = Field(default=18, ge=1, le=30, description="a patient younger than this is a minor (PAT-4)")

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        # A typo here would silently refuse every local phone number: fail at start instead.
        region = value.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {value!r}")
        return region
