"""Settings of the profexam service (`CLINIC_*` environment variables)."""

from __future__ import annotations

import phonenumbers
from pydantic import Field, field_validator

from clinic_shared.settings import ServiceSettings


class ProfexamSettings(ServiceSettings):
    """Profexam settings: the shared ones plus the phone region and the limits of Excel imports."""

    service_name: str = "profexam"
    phone_region: str = Field(
        default="RU", description="CLINIC_PHONE_REGION: ISO region for phone numbers typed without a country code"
    )
    import_max_file_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="larger uploads are refused with 413"
    )
    import_max_rows: int = Field(default=50_000, ge=1, description="more data rows → 422 before processing")
    import_async_threshold_rows: int = Field(
        default=2_000, ge=0, description="files with more rows are imported as a job (202 + progress)"
    )
    import_max_uncompressed_bytes: int = Field(
        default=150 * 1024 * 1024, ge=1024, description="declared unpacked size of an xlsx above this → 422"
    )
    import_max_compression_ratio: int = Field(
        default=200, ge=10, description="a zip member packed tighter than this (and > 1 MB unpacked) is a zip bomb"
    )
    import_card_batch_size: int = Field(
        default=5_000, ge=1, le=5_000, description="cards sent to patients' /cards/batch per call"
    )
    import_card_batches_in_flight: int = Field(
        default=2, ge=1, le=8, description="/cards/batch calls sent at once (one is checked while one is written)"
    )
    import_card_concurrency: int = Field(
        default=4, ge=1, le=32, description="parallel calls to patients when /cards/batch is not available"
    )
    import_job_stale_seconds: int = Field(
        default=60, ge=5, description="a running import job silent for this long is reported as interrupted"
    )

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        # As in patients: a typo here would refuse every local phone number, so fail at start instead.
        region = value.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {value!r}")
        return region
