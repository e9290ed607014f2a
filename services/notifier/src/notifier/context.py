"""The notifier as its routers and tests reach it (`app.state.notifier`).

Made in `create_app`, before anything runs; start-up hands it the resources it built
(`delivery/resources.py`, frozen) and the worker running on them. The event handlers get
only the callables they need (`now`, `wake_worker`), not this object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.service import ServiceRuntime
from notifier.clock import Clock, SystemClock
from notifier.settings import NotifierSettings
from notifier.wakeups import wake_after_commit

if TYPE_CHECKING:
    from notifier.delivery.fakes import FakeSmsProvider, SmtpSink
    from notifier.delivery.resources import Resources
    from notifier.delivery.worker import Worker
    from notifier.fake_imobis import FakeImobis


@dataclass
class NotifierContext:
    settings: NotifierSettings
    # Set before start to run on another clock from the first pass on (tests, benchmarks).
    clock_override: Clock | None = None
    # Set on start; kept after a stop (a test reads what the fakes got).
    resources: Resources | None = None
    worker: Worker | None = None

    def require_resources(self) -> Resources:
        if self.resources is None:
            raise RuntimeError("the notifier has not started")
        return self.resources

    def require_runtime(self) -> ServiceRuntime:
        return self.require_resources().runtime

    @property
    def fake_sms(self) -> FakeSmsProvider | None:
        return self.resources.fake_sms if self.resources is not None else None

    @property
    def smtp_sink(self) -> SmtpSink | None:
        return self.resources.smtp_sink if self.resources is not None else None

    @property
    def fake_imobis(self) -> FakeImobis | None:
        return self.resources.fake_imobis if self.resources is not None else None

    @property
    def clock(self) -> Clock:
        """The clock in `runtime.state` (tests replace it with a `ManualClock`)."""
        if self.resources is None:
            return SystemClock()
        return self.resources.clock

    def now(self) -> datetime:
        """The current moment by the service's clock."""
        return self.clock.now()

    @property
    def tz(self) -> ZoneInfo:
        """The clinic time zone (calendar rules)."""
        return ZoneInfo(self.settings.timezone)

    def wake_worker(self) -> None:
        """Run a worker pass soon (nothing before start)."""
        if self.worker is not None:
            self.worker.wake()

    def wake_worker_after_commit(self, session: AsyncSession) -> None:
        """Run a worker pass once `session` has committed (what it planned is then visible)."""
        if self.worker is not None:
            wake_after_commit(session, self.worker.wake)
