"""Reading and changing the ONDOC settings (OND-1)."""

from __future__ import annotations

import hashlib
from datetime import tzinfo

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from clinic_shared.auth import Principal
from clinic_shared.clinic_time import clinic_zone, clinic_zone_name
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.outbound import check_setting
from ondoc_bridge.config.models import CONFIG_ROW_ID, OndocConfig
from ondoc_bridge.config.repository import ConfigRepository
from ondoc_bridge.config.schemas import MASK, ConfigRead, ConfigUpdate, SecretInfo
from ondoc_bridge.errors import IntegrationDisabled
from ondoc_bridge.ondoc.http_adapter import FAKE_SERVER_URL, Connection
from ondoc_bridge.outbound import repository as outbound_repository
from ondoc_bridge.zones import offset_text, same_offset

log = get_logger(__name__)

# What the embedded fake ONDOC expects: a fresh embedded platform works end to end at once.
FAKE_COMPANY_TOKEN = "fake-company-token"
FAKE_BRANCH_TOKEN = "fake-branch-token"
FAKE_CALLBACK_SECRET = "fake-ondoc-callback-secret"
CONNECTION_FIELDS = ("server_url", "company_token", "branch_token")
ENCRYPTED_FIELDS = ("company_token", "branch_token", "callback_secrets")


def fingerprint(secret: str) -> str:
    """A short, non-reversible name of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


def config_read(config: OndocConfig) -> ConfigRead:
    """The settings as the API shows them: tokens and secrets masked."""
    return ConfigRead(
        server_url=config.server_url,
        company_token=MASK if config.company_token else None,
        company_token_set=bool(config.company_token),
        branch_token=MASK if config.branch_token else None,
        branch_token_set=bool(config.branch_token),
        time_zone=clinic_zone_name(),
        time_zone_offset=offset_text(clinic_zone(), utcnow()),
        refresh_interval_minutes=config.refresh_interval_minutes,
        enabled=config.enabled,
        contact_priority=config.contact_priority,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        callback_secrets=[SecretInfo(fingerprint=fingerprint(s)) for s in config.callback_secrets or []],
        attach_code_ttl_minutes=config.attach_code_ttl_minutes,
        version=config.version,
        updated_at=config.updated_at,
    )


def default_values(*, fake: bool) -> dict[str, object]:
    """The first settings row (by column): switched off, or wired to the in-process fake ONDOC."""
    values: dict[str, object] = {
        # The retired column is NOT NULL: it gets the zone of the day, never read (see OndocConfig).
        "time_zone": clinic_zone_name(),
        "refresh_interval_minutes": 60,
        "enabled": False,
        "contact_priority": "mobile",
        "callback_secrets": [],
        "attach_code_ttl_minutes": 24 * 60,
        "version": 1,
        "updated_at": utcnow(),
    }
    if fake:
        values.update(
            server_url=FAKE_SERVER_URL,
            company_token=FAKE_COMPANY_TOKEN,
            branch_token=FAKE_BRANCH_TOKEN,
            callback_secrets=[FAKE_CALLBACK_SECRET],
            enabled=True,
        )
    return values


def _unsaved(values: dict[str, object]) -> OndocConfig:
    attributes = dict(values)
    attributes["retired_time_zone"] = attributes.pop("time_zone")
    return OndocConfig(id=CONFIG_ROW_ID, **attributes)


async def seed(session: AsyncSession, *, time_zone: str | None = None, fake: bool) -> None:
    """Create the settings row on first start. `time_zone` is accepted for older callers and
    ignored: ONDOC works in the platform's clinic zone."""
    repository = ConfigRepository(session)
    if await repository.insert_if_missing(default_values(fake=fake)):
        log.info("ondoc.settings.seeded", fake=fake)
        return
    config = await repository.current()
    if config is not None and config.retired_time_zone != clinic_zone_name():
        # An upgrade from a release with the bridge's own zone: say which one now applies.
        log.info("ondoc.settings.zone_is_the_platforms", stored=config.retired_time_zone, used=clinic_zone_name())


async def load(session: AsyncSession, *, for_update: bool = False) -> OndocConfig:
    """The current settings (the row is seeded on start; a missing one reads as switched off)."""
    config = await ConfigRepository(session).current(for_update=for_update)
    if config is None:
        config = _unsaved(default_values(fake=False))
    return config


def connection(config: OndocConfig) -> Connection:
    """Where ONDOC is and how we authenticate."""
    return Connection(config.server_url, config.company_token, config.branch_token)


def zone(config: OndocConfig | None = None) -> tzinfo:
    """The clinic time zone ONDOC works in: the platform's (`config` is not consulted; the
    argument stays for the callers written when the settings had a zone of their own)."""
    return clinic_zone()


def require_enabled(config: OndocConfig) -> None:
    """Refuse work while the integration is switched off."""
    if not config.enabled:
        raise IntegrationDisabled("The ONDOC integration is switched off in the settings (enabled = false).")


async def update(
    session: AsyncSession,
    *,
    data: ConfigUpdate,
    principal: Principal,
    allow_private: bool = False,
    if_match: str | None = None,
) -> OndocConfig:
    """Apply PUT /settings: sent fields replace, left-out fields stay.

    A server URL that is or resolves to an address the outbound policy refuses (loopback,
    private, link-local… unless `allow_private`) is refused with 422 before anything is read.
    `if_match` must name the current version (412 otherwise; 428 when a user sends none).
    """
    await check_setting("server_url", data.server_url, allow_private=allow_private)
    sent = data.model_dump(exclude_unset=True)
    if "time_zone" in sent:
        _check_zone(sent.pop("time_zone"))
    repository = ConfigRepository(session)
    config = await repository.current(for_update=True)
    if config is None:
        config = _unsaved(default_values(fake=False))
        await repository.add(config)
    check_if_match(if_match, config, principal, required=True)
    before = {name: getattr(config, name) for name in CONNECTION_FIELDS}
    for name, value in sent.items():
        if name in ("company_token", "branch_token", "server_url"):
            value = value or None
        setattr(config, name, value)
    _check_complete_when_enabled(config)
    loaded = inspect(config).dict
    for name in ENCRYPTED_FIELDS:
        if name in loaded:
            # Written even when unchanged: a save re-encrypts with the newest key (key rotation).
            flag_modified(config, name)
    config.version += 1
    config.updated_at = utcnow()
    config.updated_by_username = principal.username
    await session.flush()
    changed = [name for name in CONNECTION_FIELDS if getattr(config, name) != before[name]]
    if changed:
        # Items ONDOC refused for a wrong address or token get another chance with the new ones.
        requeued = await outbound_repository.OutboundRepository(session).requeue_failed(now=utcnow())
        log.info("ondoc.settings.connection_changed", fields=changed, requeued=requeued)
    log.info("ondoc.settings.updated", fields=sorted(sent), enabled=config.enabled)
    return config


def _check_zone(time_zone: str) -> None:
    """A zone sent in the settings is only checked against the platform's clinic zone: the
    same clock is accepted (and changes nothing), another one is refused naming the field."""
    now = utcnow()
    effective, offset = clinic_zone_name(), offset_text(clinic_zone(), now)
    if same_offset(time_zone, clinic_zone(), now):
        return
    message = (
        f"ONDOC works in the clinic's time zone, {effective} ({offset}); it is changed for the whole "
        "platform in its settings (PUT /api/platform/settings), not here"
    )
    raise ValidationFailed(
        f"time_zone: {message}",
        errors=[{"field": "time_zone", "code": "not_the_clinic_zone", "message": message}],
        time_zone=effective,
        time_zone_offset=offset,
    )


def _check_complete_when_enabled(config: OndocConfig) -> None:
    if not config.enabled:
        return
    missing = [name for name in CONNECTION_FIELDS if not getattr(config, name)]
    if not config.callback_secrets:
        missing.append("callback_secrets")
    if missing:
        raise ValidationFailed(
            f"Switching ONDOC on needs: {', '.join(missing)}",
            errors=[
                {"field": name, "code": "required_while_enabled", "message": "required while enabled is true"}
                for name in missing
            ],
        )
