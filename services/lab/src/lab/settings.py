"""Settings of the lab service (`CLINIC_*` environment variables)."""

from __future__ import annotations

from pydantic import Field

from clinic_shared.settings import ServiceSettings


class LabSettings(ServiceSettings):
    """Lab settings: the shared ones plus the exchange worker's timings (LAB-8)."""

    service_name: str = "lab"
    lab_fake_exchange: bool | None = Field(
        default=None,
        description="run the fake lab in-process for labs without exchange_url; "
        "unset → on in embedded mode (no CLINIC_DATABASE_URL), off otherwise",
    )
    lab_exchange_worker: bool = Field(default=True, description="run the exchange worker in this process")
    lab_exchange_tick_seconds: float = Field(default=1.0, gt=0, description="how often the worker looks for work")
    lab_exchange_backoff_seconds: float = Field(default=2.0, gt=0, description="first retry delay of a failed send")
    lab_exchange_backoff_cap_seconds: float = Field(default=600.0, gt=0, description="longest retry delay")
    lab_exchange_max_attempts: int = Field(default=10, ge=1, description="sends tried before an order is failed")
    lab_exchange_poll_seconds: float = Field(default=15.0, gt=0, description="how often sent orders are polled")
    lab_exchange_lease_seconds: float = Field(default=60.0, gt=0, description="claim of a queue item by one worker")
    lab_exchange_timeout_seconds: float = Field(default=10.0, gt=0, description="timeout of one call to a lab")
    lab_fake_result_delay_seconds: float = Field(
        default=5.0, ge=0, description="the in-process fake lab answers results this long after an order"
    )

    @property
    def fake_exchange_enabled(self) -> bool:
        """Whether labs without an exchange URL talk to the in-process fake lab."""
        if self.lab_fake_exchange is not None:
            return self.lab_fake_exchange
        return not self.database_url
