"""Online-booking setup (SCH-13): doctor↔service links, the general discount, widget API keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from clinic_shared.logging import get_logger
from scheduling.directories import service as directories
from scheduling.directories.models import Doctor, PriceService
from scheduling.online import pricing
from scheduling.online.models import ONLINE_SETTINGS_ROW_ID, ApiKey, OnlineLink, OnlineSettings
from scheduling.online.schemas import ApiKeyCreate, LinkCreate, LinkUpdate, OnlineSettingsUpdate

log = get_logger(__name__)
LINK_FIELDS = (
    "mode",
    "show_price",
    "price",
    "prepayment_required",
    "prepayment_amount",
    "discount_on_prepayment",
    "discount_percent",
    "round_to_rubles",
)
KEY_PREFIX = "clk_"


def as_pricing(link: OnlineLink | LinkCreate) -> pricing.OnlineServiceLink:
    """The link's settings as the pure pricing rules take them."""
    return pricing.OnlineServiceLink(**{name: getattr(link, name) for name in LINK_FIELDS})


def check_link(link: pricing.OnlineServiceLink) -> None:
    """422 naming every bad field of a link's settings."""
    errors = pricing.validate_link(link)
    if errors:
        raise ValidationFailed("The online-booking link is not valid.", errors=errors)


async def list_links(
    session: AsyncSession, *, doctor_id: uuid.UUID | None, service_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[Sequence[OnlineLink], int]:
    """Links, optionally of one doctor or service."""
    statement = select(OnlineLink)
    if doctor_id is not None:
        statement = statement.where(OnlineLink.doctor_id == doctor_id)
    if service_id is not None:
        statement = statement.where(OnlineLink.service_id == service_id)
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rows = await session.execute(statement.order_by(OnlineLink.created_at, OnlineLink.id).limit(limit).offset(offset))
    return rows.scalars().all(), total


async def get_link(session: AsyncSession, link_id: uuid.UUID, *, for_update: bool = False) -> OnlineLink:
    """A link by id; 404 when there is none."""
    link = await session.get(OnlineLink, link_id, with_for_update=for_update or None)
    if link is None:
        raise NotFound(f"No online-booking link {link_id}.")
    return link


async def create_link(session: AsyncSession, data: LinkCreate) -> OnlineLink:
    """Link a doctor to a service for online booking; 409 when they are linked already."""
    check_link(as_pricing(data))
    await directories.require_item(session, Doctor, data.doctor_id, field="doctor_id", label="doctor")
    await directories.require_item(session, PriceService, data.service_id, field="service_id", label="service")
    link = OnlineLink(id=uuid.uuid4(), **data.model_dump())
    session.add(link)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("The doctor is already linked to this service.", code="link-exists") from exc
    await session.refresh(link)  # amounts as stored: "300" comes back as "300.00"
    log.info("scheduling.online_link.created", link_id=str(link.id))
    return link


async def update_link(
    session: AsyncSession,
    link_id: uuid.UUID,
    data: LinkUpdate,
    *,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> OnlineLink:
    """Change the fields sent; the resulting settings are validated as a whole; 412 when the
    link changed since `If-Match` (not required)."""
    link = await get_link(session, link_id, for_update=True)
    check_if_match(if_match, link, principal)
    sent = data.model_dump(exclude_unset=True)
    for name in ("mode", "show_price", "prepayment_required", "discount_on_prepayment", "round_to_rubles"):
        if name in sent and sent[name] is None:
            raise ValidationFailed.field(name, "must not be null")
    merged = {name: sent.get(name, getattr(link, name)) for name in LINK_FIELDS}
    check_link(pricing.OnlineServiceLink(**merged))
    for name, value in merged.items():
        setattr(link, name, value)
    link.updated_at = utcnow()
    await session.flush()
    await session.refresh(link)
    return link


async def delete_link(
    session: AsyncSession, link_id: uuid.UUID, *, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Remove a link (appointments keep their services: they do not point at links); 412 when
    it changed since `If-Match` (not required)."""
    link = await session.get(OnlineLink, link_id, with_for_update=True)
    if link is not None:
        check_if_match(if_match, link, principal)
        await session.delete(link)
        await session.flush()


async def settings_row(session: AsyncSession, *, for_update: bool = False) -> OnlineSettings:
    """The online settings row, created with no discount on first use."""
    row = await session.get(OnlineSettings, ONLINE_SETTINGS_ROW_ID, with_for_update=for_update or None)
    if row is None:
        row = OnlineSettings(id=ONLINE_SETTINGS_ROW_ID, general_discount_percent=Decimal(0))
        session.add(row)
        await session.flush()
    return row


async def update_settings(
    session: AsyncSession, data: OnlineSettingsUpdate, principal: Principal, *, if_match: str | None = None
) -> OnlineSettings:
    """Set the general discount, applied to every link's price at once; 412 when changed since
    the caller read it, 428 without If-Match."""
    errors = pricing.validate_general_discount(data.general_discount_percent)
    if errors:
        raise ValidationFailed("The general discount is not valid.", errors=errors)
    row = await settings_row(session, for_update=True)
    check_if_match(if_match, row, principal, required=True)
    row.general_discount_percent = data.general_discount_percent
    row.updated_at = utcnow()
    row.updated_by_username = principal.username
    await session.flush()
    await session.refresh(row)
    return row


async def active_key_count(session: AsyncSession) -> int:
    """How many widget API keys exist."""
    return (await session.execute(select(func.count()).select_from(ApiKey))).scalar_one()


def hash_key(key: str) -> str:
    """SHA-256 of a key: the keys are long random strings, so a plain hash is enough to store."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(session: AsyncSession, data: ApiKeyCreate, principal: Principal) -> tuple[ApiKey, str]:
    """A new widget key; the key itself is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=uuid.uuid4(),
        label=data.label,
        key_hash=hash_key(key),
        prefix=key[:10],
        created_at=utcnow(),
        created_by_username=principal.username,
    )
    session.add(row)
    await session.flush()
    log.info("scheduling.api_key.created", api_key_id=str(row.id))
    return row, key


async def list_api_keys(session: AsyncSession) -> Sequence[ApiKey]:
    """Every key (without the secret), oldest first."""
    return (await session.execute(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id))).scalars().all()


@dataclass(frozen=True)
class ApiKeyVersion:
    """A key never changes (it is made, then revoked; its `last_used_at` is not an edit): its
    version is when it was made, the `ETag` its creation answered (clinic_shared.concurrency)."""

    updated_at: datetime


def api_key_version(row: ApiKey) -> ApiKeyVersion:
    return ApiKeyVersion(row.created_at)


async def revoke_api_key(
    session: AsyncSession, key_id: uuid.UUID, *, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Revoke a key for good; revoking an unknown key is a 404, one made from another version
    than `if_match` names a 412."""
    row = await session.get(ApiKey, key_id, with_for_update=True)
    if row is None:
        raise NotFound(f"No API key {key_id}.")
    check_if_match(if_match, api_key_version(row), principal)
    await session.delete(row)
    await session.flush()
    log.info("scheduling.api_key.revoked", api_key_id=str(key_id))


async def authenticate(session: AsyncSession, key: str | None) -> ApiKey:
    """The widget key sent in X-Api-Key; 401 when it is missing, unknown or revoked."""
    if not key:
        raise Unauthorized("An X-Api-Key header with the clinic's widget key is required.")
    row = (await session.execute(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))).scalar_one_or_none()
    if row is None:
        raise Unauthorized("The API key is not valid.")
    return row
