"""Build the configured SMS provider and e-mail sender for a dispatch pass."""

from __future__ import annotations

from notifier.config.schemas import NotifierConfig, SmtpConfig
from notifier.context import NotifierContext
from notifier.delivery.base import EmailSender, SmsProvider
from notifier.delivery.email import SmtpSender
from notifier.delivery.fakes import FakeSmsProvider, SmtpSink
from notifier.delivery.imobis import ImobisProvider
from notifier.delivery.quicktelecom import QuickTelecomProvider
from notifier.delivery.smsc import SmscProvider

FAKE_FROM = "notifier@clinic.local"


def sms_provider(config: NotifierConfig, context: NotifierContext) -> SmsProvider:
    """The SMS provider chosen in the settings."""
    if config.sms_provider == "fake":
        if context.fake_sms is None:
            context.fake_sms = FakeSmsProvider()
        return context.fake_sms
    if context.http is None:
        raise RuntimeError("the notifier's HTTP client is not started")
    sender = config.sender_name
    if config.sms_provider == "smsc":
        return SmscProvider(
            context.http,
            base_url=config.smsc.base_url,
            login=config.smsc.login,
            password=config.smsc.password,
            sender=sender,
        )
    if config.sms_provider == "quicktelecom":
        return QuickTelecomProvider(
            context.http,
            base_url=config.quicktelecom.base_url,
            login=config.quicktelecom.login,
            password=config.quicktelecom.password,
            sender=sender,
        )
    return ImobisProvider(
        context.http,
        base_url=config.imobis.base_url,
        token=config.imobis.token,
        sender=sender,
        channels=config.imobis.channels,
        sms_fallback=config.imobis.sms_fallback,
        ttl_seconds=config.imobis.ttl_seconds,
    )


async def email_sender(config: NotifierConfig, context: NotifierContext) -> EmailSender:
    """SMTP as configured, or the in-process sink when the settings say `fake`."""
    timeout = context.settings.notifier_provider_timeout_seconds
    if config.email_provider == "fake":
        if context.smtp_sink is None:
            context.smtp_sink = SmtpSink()
        await context.smtp_sink.start()
        sink = SmtpConfig(
            host=context.smtp_sink.host,
            port=context.smtp_sink.port,
            from_address=config.smtp.from_address or FAKE_FROM,
            security="none",
        )
        # The platform's own sink on 127.0.0.1, not an address staff typed in.
        return SmtpSender(sink, sender_name=config.sender_name, timeout=timeout, allow_private=True)
    allow_private = context.settings.outbound_allow_private
    return SmtpSender(config.smtp, sender_name=config.sender_name, timeout=timeout, allow_private=allow_private)
