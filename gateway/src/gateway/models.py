"""Users and roles (GW-2, GW-3)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from clinic_shared.db import GUID, column_types, make_metadata, utcnow


class Base(DeclarativeBase):
    """The gateway's declarative base: its own MetaData, the platform's column types."""

    metadata = make_metadata()
    type_annotation_map = column_types()


user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", GUID(), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", GUID(), ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    rights: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by every change (auth_router.update_role): the role's ETag, shown in RoleRead too,
    # as there is no GET of one role to read it from.
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    claims: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    def rights(self) -> set[str]:
        return {right for role in self.roles for right in role.rights}


class LoginSession(Base):
    """One login: the refresh token's current and previous hash, and which access tokens are
    still accepted (those of generation ≥ `min_generation`). See gateway/sessions.py."""

    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)  # no foreign key: a deleted user's sessions stay ended
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    refresh_hash: Mapped[str] = mapped_column(String(64))
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64))
    rotated_at: Mapped[datetime | None]
    generation: Mapped[int] = mapped_column(default=0)
    min_generation: Mapped[int] = mapped_column(BigInteger, default=0)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(64))
    # Until when verifiers must remember this session's revocation (its last access token's expiry).
    revoked_until: Mapped[datetime | None] = mapped_column(index=True)


class AuditEntry(Base):
    """Who did what to whom, when: logins, users, roles, rights, passwords, sessions (GW-2, GW-3)."""

    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    target_name: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    client_address: Mapped[str | None] = mapped_column(String(64))


class Counter(Base):
    """A shared counter of the gateway's replicas: failed logins of a key and how long it is
    held back, or requests of a public API client in the current window (gateway/limits)."""

    __tablename__ = "counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]
    username: Mapped[str | None] = mapped_column(String(64), index=True)


class PlatformSettingsRow(Base):
    """Settings of the whole platform, one row (gateway/platform.py)."""

    __tablename__ = "platform_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    timezone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
