"""What the notifier holds while it runs: settings, clock, fakes, HTTP client, the worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.service import ServiceRuntime
from notifier.clock import CLOCK_KEY, Clock, SystemClock
from notifier.settings import NotifierSettings

if TYPE_CHECKING:
    import httpx

    from notifier.delivery.fakes import FakeSmsProvider, SmtpSink
    from notifier.delivery.worker import Worker
    from notifier.fake_imobis import FakeImobis


@dataclass
class NotifierContext:
    """Built in `create_app`; `runtime` and the resources are filled in on startup."""

    settings: NotifierSettings
    runtime: ServiceRuntime | None = None
    fake_sms: FakeSmsProvider | None = None
    smtp_sink: SmtpSink | None = None
    # Embedded mode: the fake Imobis that `http` reaches in-process (fake_imobis.py).
    fake_imobis: FakeImobis | None = None
    http: httpx.AsyncClient | None = None
    worker: Worker | None = None
    # Set before start to run on another clock from the first pass on (tests, benchmarks).
    clock_override: Clock | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def clock(self) -> Clock:
        """The clock in `runtime.state` (tests replace it with a `ManualClock`)."""
        if self.runtime is None:
            return SystemClock()
        return self.runtime.state.setdefault(CLOCK_KEY, SystemClock())  # type: ignore[no-any-return]

    def now(self) -> datetime:
        """The current moment by the service's clock."""
        return self.clock.now()

    @property
    def tz(self) -> ZoneInfo:
        """The clinic time zone (calendar rules)."""
        return ZoneInfo(self.settings.timezone)

    def wake_worker_after_commit(self, session: AsyncSession) -> None:
        """Run a worker pass once `session` has committed (what it planned is then visible)."""
        worker = self.worker
        if worker is None:
            return
        event.listen(session.sync_session, "after_commit", lambda _session: worker.wake(), once=True)

    def require_runtime(self) -> ServiceRuntime:
        if self.runtime is None:
            raise RuntimeError("the notifier has not started")
        return self.runtime
