"""Reading and changing the ONDOC settings (OND-1)."""

from __future__ import annotations

import hashlib
from datetime import tzinfo

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from clinic_shared.auth import Principal
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
from ondoc_bridge.zones import InvalidZone, normalise_zone, parse_zone

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
        time_zone=config.time_zone,
        refresh_interval_minutes=config.refresh_interval_minutes,
        enabled=config.enabled,
        contact_priority=config.contact_priority,  # type: ignore[arg-type]
        callback_secrets=[SecretInfo(fingerprint=fingerprint(s)) for s in config.callback_secrets or []],
        attach_code_ttl_minutes=config.attach_code_ttl_minutes,
        version=config.version,
        updated_at=config.updated_at,
    )


def default_values(*, time_zone: str, fake: bool) -> dict[str, object]:
    """The first settings row: switched off, or wired to the in-process fake ONDOC."""
    values: dict[str, object] = {
        "time_zone": time_zone,
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


async def seed(session: AsyncSession, *, time_zone: str, fake: bool) -> None:
    """Create the settings row on first start (in the platform's time zone)."""
    try:
        zone_text = normalise_zone(time_zone)
    except InvalidZone:
        log.warning("ondoc.settings.bad_default_zone", time_zone=time_zone)
        zone_text = "+03:00"
    if await ConfigRepository(session).insert_if_missing(default_values(time_zone=zone_text, fake=fake)):
        log.info("ondoc.settings.seeded", fake=fake)


async def load(session: AsyncSession, *, for_update: bool = False) -> OndocConfig:
    """The current settings (the row is seeded on start; a missing one reads as switched off)."""
    config = await ConfigRepository(session).current(for_update=for_update)
    if config is None:
        config = OndocConfig(id=CONFIG_ROW_ID, **default_values(time_zone="+03:00", fake=False))
    return config


def connection(config: OndocConfig) -> Connection:
    """Where ONDOC is and how we authenticate."""
    return Connection(config.server_url, config.company_token, config.branch_token)


def zone(config: OndocConfig) -> tzinfo:
    """The clinic time zone ONDOC works in."""
    return parse_zone(config.time_zone)


def require_enabled(config: OndocConfig) -> None:
    """Refuse work while the integration is switched off."""
    if not config.enabled:
        raise IntegrationDisabled("The ONDOC integration is switched off in the settings (enabled = false).")


async def update(
    session: AsyncSession, *, data: ConfigUpdate, principal: Principal, allow_private: bool = False
) -> OndocConfig:
    """Apply PUT /settings: sent fields replace, left-out fields stay.

    A server URL that is or resolves to an address the outbound policy refuses (loopback,
    private, link-local… unless `allow_private`) is refused with 422 before anything is read.
    """
    await check_setting("server_url", data.server_url, allow_private=allow_private)
    repository = ConfigRepository(session)
    config = await repository.current(for_update=True)
    if config is None:
        config = OndocConfig(id=CONFIG_ROW_ID, **default_values(time_zone="+03:00", fake=False))
        await repository.add(config)
    before = {name: getattr(config, name) for name in CONNECTION_FIELDS}
    sent = data.model_dump(exclude_unset=True)
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


def _check_complete_when_enabled(config: OndocConfig) -> None:
    if not config.enabled:
        return
    missing = [name for name in CONNECTION_FIELDS if not getattr(config, name)]
    if not config.callback_secrets:
        missing.append("callback_secrets")
    if missing:
        raise ValidationFailed(
            f"Switching ONDOC on needs: {', '.join(missing)}",
            errors=[{"field": name, "message": "required while enabled is true"} for name in missing],
        )
