"""Settings of the notifier service (`CLINIC_*` environment variables)."""

from __future__ import annotations

from pydantic import Field

from clinic_shared.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    """Notifier settings: the shared ones plus the planner's and dispatcher's knobs."""

    service_name: str = "notifier"
    notifier_fakes: bool = Field(
        default=False,
        description="CLINIC_NOTIFIER_FAKES: SMS go to an in-process fake and Email to an in-process SMTP sink "
        "unless the settings choose a real provider (embedded mode)",
    )
    notifier_tick_seconds: float = Field(default=5.0, gt=0, description="how often the planner wakes up")
    notifier_batch_size: int = Field(default=200, ge=1, le=5000, description="messages claimed per dispatch pass")
    notifier_concurrency: int = Field(default=32, ge=1, le=500, description="messages sent at once")
    notifier_lease_seconds: float = Field(default=300.0, gt=0, description="how long a claimed message is held")
    notifier_max_attempts: int = Field(default=5, ge=1, le=50, description="sending attempts before giving up")
    notifier_retry_base_seconds: float = Field(default=30.0, gt=0, description="first retry delay (doubles)")
    notifier_retry_max_seconds: float = Field(default=3600.0, gt=0)
    notifier_stale_grace_minutes: int = Field(
        default=360, ge=1, description="a message whose time passed longer ago than this (downtime) is dropped"
    )
    notifier_provider_timeout_seconds: float = Field(default=15.0, gt=0)
