"""Read and change the notifier settings (NOT-1); secrets never leave the service in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.errors import ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.outbound import check_setting
from notifier.config.models import SETTINGS_ROW_ID, NotifierSettingsRow
from notifier.config.repository import SettingsRepository
from notifier.config.schemas import (
    FAKE_IMOBIS_TOKEN,
    FAKE_IMOBIS_URL,
    ImobisChannelRead,
    ImobisConfig,
    ImobisRead,
    NotifierConfig,
    QuickTelecomRead,
    SettingsRead,
    SettingsUpdate,
    SmscRead,
    SmtpRead,
)
from notifier.delivery.smtp_token import BadToken, certificate_expiry, check_token, token_kind

log = get_logger(__name__)


@dataclass(frozen=True)
class NeverSaved:
    """The version of settings nobody saved yet (the defaults): `"0"`, so a first PUT can name it."""

    version: int = 0


NEVER_SAVED = NeverSaved()
Versioned = NotifierSettingsRow | NeverSaved


def default_config(*, fakes: bool) -> NotifierConfig:
    """Settings before anyone saved them: with fakes on (embedded mode) SMS and Email go to the
    fakes, and Imobis, when chosen, is the in-process fake Imobis (`fake_imobis.py`)."""
    if fakes:
        return NotifierConfig(
            sms_provider="fake",
            email_provider="fake",
            imobis=ImobisConfig(base_url=FAKE_IMOBIS_URL, token=FAKE_IMOBIS_TOKEN),
        )
    return NotifierConfig()


async def load_config(session: AsyncSession, *, fakes: bool) -> NotifierConfig:
    """The current settings (defaults when never saved)."""
    row = await SettingsRepository(session).get()
    if row is None:
        return default_config(fakes=fakes)
    return NotifierConfig.model_validate_json(row.data)


def merge_update(current: NotifierConfig, update: SettingsUpdate) -> NotifierConfig:
    """Apply a PUT body: given fields replace, omitted ones (and null secrets) are kept."""
    merged = current.model_dump()
    for key, value in update.model_dump(exclude_unset=True).items():
        if value is None:
            continue
        if isinstance(value, dict):
            merged[key].update({k: v for k, v in value.items() if v is not None})
        else:
            merged[key] = value
    return NotifierConfig.model_validate(merged)


def to_read(config: NotifierConfig, row: NotifierSettingsRow | None = None) -> SettingsRead:
    """The settings as the API shows them: `*_set` flags instead of secrets."""
    return SettingsRead(
        phone_country=config.phone_country,
        clinic_name=config.clinic_name,
        clinic_phone=config.clinic_phone,
        clinic_address=config.clinic_address,
        sender_name=config.sender_name,
        sms_provider=config.sms_provider,
        email_provider=config.email_provider,
        smsc=SmscRead(base_url=config.smsc.base_url, login=config.smsc.login, password_set=bool(config.smsc.password)),
        quicktelecom=QuickTelecomRead(
            base_url=config.quicktelecom.base_url,
            login=config.quicktelecom.login,
            password_set=bool(config.quicktelecom.password),
        ),
        imobis=ImobisRead(
            base_url=config.imobis.base_url,
            token_set=bool(config.imobis.token),
            channels=[ImobisChannelRead(**channel.model_dump()) for channel in config.imobis.channels],
            sms_fallback=config.imobis.sms_fallback,
            ttl_seconds=config.imobis.ttl_seconds,
        ),
        smtp=SmtpRead(
            host=config.smtp.host,
            port=config.smtp.port,
            login=config.smtp.login,
            password_set=bool(config.smtp.password),
            token_set=bool(config.smtp.token),
            token_kind=token_kind(config.smtp.token),
            certificate_expires_at=certificate_expiry(config.smtp.token),
            from_address=config.smtp.from_address,
            security=config.smtp.security,
        ),
        updated_at=row.updated_at if row else None,
        updated_by_username=row.updated_by_username if row else None,
    )


async def read_settings(session: AsyncSession, *, fakes: bool) -> tuple[SettingsRead, Versioned]:
    """GET /settings, and what carries their version (the ETag)."""
    row = await SettingsRepository(session).get()
    config = NotifierConfig.model_validate_json(row.data) if row else default_config(fakes=fakes)
    return to_read(config, row), row or NEVER_SAVED


def outbound_addresses(update: SettingsUpdate) -> dict[str, str]:
    """The provider addresses a PUT body sets, by field name (`smsc.base_url`, `smtp.host`, …)."""
    given = {
        "smsc.base_url": update.smsc.base_url if update.smsc else None,
        "quicktelecom.base_url": update.quicktelecom.base_url if update.quicktelecom else None,
        "imobis.base_url": update.imobis.base_url if update.imobis else None,
        "smtp.host": update.smtp.host if update.smtp else None,
    }
    return {field: value for field, value in given.items() if value}


def check_merged(merged: NotifierConfig, update: SettingsUpdate) -> None:
    """What the schema cannot see field by field: the chat-bot channels (NOT-9) and the e-mail
    token against the SMTP security; 422 naming the field."""
    if update.imobis is not None and update.imobis.channels is not None:
        seen: set[str] = set()
        for index, channel in enumerate(update.imobis.channels):
            field = f"imobis.channels.{index}"
            if channel.channel in seen:
                raise ValidationFailed.field(
                    f"{field}.channel", f"{channel.channel} is listed twice", "duplicate_channel"
                )
            seen.add(channel.channel)
            if channel.channel == "vk" and channel.group_id is None:
                raise ValidationFailed.field(
                    f"{field}.group_id", "is required for the vk channel (the community id)", "group_id_required"
                )
            if channel.channel != "vk" and channel.group_id is not None:
                raise ValidationFailed.field(f"{field}.group_id", "is only for the vk channel", "vk_only")
            if channel.channel != "viber" and channel.sender:
                raise ValidationFailed.field(f"{field}.sender", "is only for the viber channel", "viber_only")
    token_given = update.smtp is not None and bool(update.smtp.token)
    if merged.smtp.token and (token_given or (update.smtp is not None and update.smtp.security is not None)):
        try:
            check_token(merged.smtp.token, security=merged.smtp.security)
        except BadToken as exc:
            raise ValidationFailed.field(
                "smtp.token" if token_given else "smtp.security", str(exc), "invalid_token"
            ) from exc


async def update_settings(
    session: AsyncSession,
    *,
    update: SettingsUpdate,
    principal: Principal,
    fakes: bool,
    now: datetime,
    allow_private: bool = False,
    if_match: str | None = None,
) -> tuple[SettingsRead, Versioned]:
    """PUT /settings: merge and store; the answer hides the secrets. Returns it with the new version.

    The version the change was made from is required (`if_match`: 412 on another, 428 without,
    unless a service calls). A provider address that is or resolves to one the outbound policy
    refuses (loopback, private, link-local… unless `allow_private`) is refused with 422 naming its field.
    """
    for field, address in outbound_addresses(update).items():
        await check_setting(field, address, allow_private=allow_private)
    repository = SettingsRepository(session)
    row = await repository.get(for_update=True)
    check_if_match(if_match, row or NEVER_SAVED, principal, required=True)
    current = NotifierConfig.model_validate_json(row.data) if row else default_config(fakes=fakes)
    merged = merge_update(current, update)
    check_merged(merged, update)
    if row is None:
        row = NotifierSettingsRow(
            id=SETTINGS_ROW_ID,
            version=1,
            data=merged.model_dump_json(),
            updated_at=now,
            updated_by=principal.user_id,
            updated_by_username=principal.username,
        )
        await repository.add(row)
    else:
        row.data = merged.model_dump_json()
        # Written even when unchanged: a save re-encrypts with the newest key (key rotation).
        flag_modified(row, "data")
        row.version += 1
        row.updated_at = now
        row.updated_by = principal.user_id
        row.updated_by_username = principal.username
        await session.flush()
    log.info("notifier.settings.updated", sms_provider=merged.sms_provider, email_provider=merged.email_provider)
    return to_read(merged, row), row
