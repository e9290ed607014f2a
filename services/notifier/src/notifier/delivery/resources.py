"""What delivery runs on, built once at start-up: the settings, the service runtime, the
providers' HTTP client and the in-process fakes.

Frozen, and handed to the worker, the dispatcher and the provider factory, which read it and
never set anything on it. They used to share the app's whole context (which in turn held the
worker), and the fakes were made there on first use: an import cycle, and state that any
module could change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from clinic_shared.http import make_client
from clinic_shared.outbound import guarded_transport
from clinic_shared.service import ServiceRuntime
from notifier.clock import CLOCK_KEY, Clock, SystemClock
from notifier.delivery.fakes import FakeSmsProvider, SmtpSink
from notifier.fake_imobis import FakeImobis, fake_transport
from notifier.settings import NotifierSettings


@dataclass(frozen=True)
class Resources:
    settings: NotifierSettings
    runtime: ServiceRuntime
    http: httpx.AsyncClient
    fake_sms: FakeSmsProvider
    # Listens only once started: at start-up with the fakes on, else when the fake e-mail provider is used.
    smtp_sink: SmtpSink
    # Embedded mode: the fake Imobis that `http` reaches in-process (fake_imobis.py).
    fake_imobis: FakeImobis | None = None

    @property
    def clock(self) -> Clock:
        """The clock in `runtime.state` (tests replace it with a `ManualClock`)."""
        return self.runtime.state.setdefault(CLOCK_KEY, SystemClock())

    def now(self) -> datetime:
        """The current moment by the service's clock."""
        return self.clock.now()

    @property
    def tz(self) -> ZoneInfo:
        """The clinic time zone (calendar rules)."""
        return ZoneInfo(self.settings.timezone)

    async def close(self) -> None:
        await self.http.aclose()
        await self.smtp_sink.stop()


async def open_resources(settings: NotifierSettings, runtime: ServiceRuntime) -> Resources:
    """The resources of a starting notifier (with the fakes on, the SMTP sink already listens)."""
    # Only the SMS providers use it, at URLs staff set: every connection passes the outbound policy.
    transport: httpx.AsyncBaseTransport = guarded_transport(allow_private=settings.outbound_allow_private)
    fake_imobis = None
    if settings.notifier_fakes:
        # The fake Imobis is the platform's own, in-process: not an address staff typed in.
        fake_imobis = FakeImobis()
        transport = fake_transport(transport, fake_imobis)
    resources = Resources(
        settings=settings,
        runtime=runtime,
        http=make_client(timeout=settings.notifier_provider_timeout_seconds, transport=transport),
        fake_sms=FakeSmsProvider(),
        smtp_sink=SmtpSink(),
        fake_imobis=fake_imobis,
    )
    if settings.notifier_fakes:
        try:
            await resources.smtp_sink.start()
        except BaseException:
            await resources.close()
            raise
    return resources
