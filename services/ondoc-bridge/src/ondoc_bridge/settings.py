"""Process settings of the ONDOC bridge (`CLINIC_*` environment variables).

What a clinic administrator changes at run time (server URL, tokens, time zone, refresh
interval, …) is not here: it is stored in the database and edited through `/settings` (OND-1).
Every field is prefixed `ondoc_` because in embedded mode all services read one environment.
"""

from __future__ import annotations

from pydantic import Field

from clinic_shared.settings import ServiceSettings


class OndocSettings(ServiceSettings):
    """Bridge settings: the shared ones plus the outbound worker's and the fake's knobs."""

    service_name: str = "ondoc"
    ondoc_fake: bool = Field(
        default=False,
        description="run the fake ONDOC in-process (embedded mode, tests); CLINIC_ONDOC_FAKE",
    )
    ondoc_timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="one call to ONDOC")
    ondoc_worker_poll_seconds: float = Field(default=1.0, gt=0, le=60, description="outbound queue poll")
    ondoc_worker_batch: int = Field(default=20, ge=1, le=500, description="outbound items claimed per pass")
    ondoc_worker_concurrency: int = Field(default=4, ge=1, le=64, description="items sent at once (never two of one)")
    ondoc_backoff_base_seconds: float = Field(default=2.0, gt=0, description="first retry delay")
    ondoc_backoff_cap_seconds: float = Field(default=300.0, gt=0, description="longest retry delay")
    ondoc_attach_codes_per_hour: int = Field(default=5, ge=1, le=1000, description="per patient (OND-2)")
    ondoc_callback_tolerance_seconds: int = Field(default=300, ge=1, le=3600, description="signature clock skew")
    ondoc_slot_days: int = Field(default=14, ge=1, le=90, description="free slots uploaded this many days ahead")
    ondoc_slot_minutes: int = Field(default=30, ge=5, le=480, description="length of an uploaded free slot")
    ondoc_first_sync_delay_seconds: float = Field(
        default=60.0, ge=0, description="delay of the first directory upload after a start"
    )
    ondoc_sync_check_seconds: float = Field(default=30.0, gt=0, description="how often the refresh task looks")
