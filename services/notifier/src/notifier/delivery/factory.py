"""Build the configured SMS provider and e-mail sender for a dispatch pass, on the resources
made at start-up (the fakes among them)."""

from __future__ import annotations

from notifier.config.schemas import NotifierConfig, SmtpConfig
from notifier.delivery.base import EmailSender, SmsProvider
from notifier.delivery.email import SmtpSender
from notifier.delivery.imobis import ImobisProvider
from notifier.delivery.quicktelecom import QuickTelecomProvider
from notifier.delivery.resources import Resources
from notifier.delivery.smsc import SmscProvider

FAKE_FROM = "notifier@clinic.local"


def sms_provider(config: NotifierConfig, resources: Resources) -> SmsProvider:
    """The SMS provider chosen in the settings."""
    if config.sms_provider == "fake":
        return resources.fake_sms
    sender = config.sender_name
    if config.sms_provider == "smsc":
        return SmscProvider(
            resources.http,
            base_url=config.smsc.base_url,
            login=config.smsc.login,
            password=config.smsc.password,
            sender=sender,
        )
    if config.sms_provider == "quicktelecom":
        return QuickTelecomProvider(
            resources.http,
            base_url=config.quicktelecom.base_url,
            login=config.quicktelecom.login,
            password=config.quicktelecom.password,
            sender=sender,
        )
    return ImobisProvider(
        resources.http,
        base_url=config.imobis.base_url,
        token=config.imobis.token,
        sender=sender,
        channels=config.imobis.channels,
        sms_fallback=config.imobis.sms_fallback,
        ttl_seconds=config.imobis.ttl_seconds,
    )


async def email_sender(config: NotifierConfig, resources: Resources) -> EmailSender:
    """SMTP as configured, or the in-process sink when the settings say `fake`."""
    timeout = resources.settings.notifier_provider_timeout_seconds
    if config.email_provider == "fake":
        await resources.smtp_sink.start()
        sink = SmtpConfig(
            host=resources.smtp_sink.host,
            port=resources.smtp_sink.port,
            from_address=config.smtp.from_address or FAKE_FROM,
            security="none",
        )
        # The platform's own sink on 127.0.0.1, not an address staff typed in.
        return SmtpSender(sink, sender_name=config.sender_name, timeout=timeout, allow_private=True)
    allow_private = resources.settings.outbound_allow_private
    return SmtpSender(config.smtp, sender_name=config.sender_name, timeout=timeout, allow_private=allow_private)
