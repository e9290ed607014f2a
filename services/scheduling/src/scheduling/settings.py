"""Settings of the scheduling service (`CLINIC_*` environment variables).

What the clinic edits at run time (grid step, booking horizon…) lives in the database and is
served by `GET|PUT /settings` (see `preferences/`); these are deployment settings.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from clinic_shared.settings import ServiceSettings


class SchedulingSettings(ServiceSettings):
    """Scheduling settings: the shared ones plus the phone region and the age of majority."""

    service_name: str = "scheduling"
    phone_region: str = Field(default="RU", description="region for phone numbers typed without a country code")
    minor_age: int = Field(default=18, ge=1, le=30, description="a patient younger than this is a minor (SCH-9)")
    export_max_rows: int = Field(default=100_000, ge=1, description="the most rows one .xlsx export may hold (SCH-11)")
    clinic_name: str = Field(default="Клиника", description="printed in the heading of slips and day lists (SCH-14)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Every booking rule needs the zone: refuse a typo at start, not at the first booking.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value
