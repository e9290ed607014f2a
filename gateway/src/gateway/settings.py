"""Gateway settings (`CLINIC_*`)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from clinic_shared.settings import ServiceSettings

# Public path segment → Python package of the service. The gateway serves `/api/<segment>/…`.
KNOWN_SERVICES: dict[str, str] = {
    "patients": "patients",
    "scheduling": "scheduling",
    "ondoc": "ondoc_bridge",
    "notifier": "notifier",
    "profexam": "profexam",
    "lab": "lab",
}


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, description="CLINIC_PORT")
    jwt_private_key: SecretStr | None = Field(default=None, description="PEM of the Ed25519 signing key")
    token_ttl_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="lifetime of an access token; a refresh token renews it"
    )
    session_ttl_minutes: int = Field(
        default=12 * 60, ge=5, le=30 * 24 * 60, description="lifetime of a login session (its refresh token)"
    )
    refresh_reuse_grace_seconds: int = Field(
        default=10,
        ge=0,
        le=300,
        description="how long the refresh token just replaced still gets an access token (two tabs refreshing at once)",
    )
    broadcast_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="how often the gateway repeats the live revocations and the platform settings to every process",
    )
    admin_password: SecretStr | None = Field(
        default=None, description="password of the first `admin` user; required when no user exists"
    )
    password_hash_time_cost: int = Field(default=3, ge=1, description="argon2id iterations")
    password_hash_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB")
    cors_origins: list[str] = Field(default_factory=list, description='JSON list, e.g. ["http://localhost:5173"]')
    max_body_bytes: int = Field(default=64 * 1024 * 1024, description="larger uploads (Excel and CSV imports) get 413")
    max_json_body_bytes: int = Field(
        default=2 * 1024 * 1024, description="larger bodies of any other authenticated request get 413"
    )
    max_public_body_bytes: int = Field(
        default=64 * 1024, description="larger bodies of public requests (login, widget, ONDOC callbacks) get 413"
    )
    max_query_bytes: int = Field(default=8192, description="longer query strings get 414")
    unread_body_linger_seconds: float = Field(
        default=0.5,
        ge=0,
        le=10,
        description="a refusal sent before the request's body was read is held open this long before the "
        "connection closes, so the client reads it before the kernel resets the socket",
    )
    web_dir: Path | None = Field(
        default=None,
        description="the built web app (CLINIC_WEB_DIR); by default web/dist of the source tree, when built",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description='JSON list of addresses or networks whose X-Forwarded-For is trusted, e.g. ["10.42.0.0/16"]',
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins of one username from one address before each try waits"
    )
    login_max_failures_per_address: int | None = Field(
        default=None,
        ge=1,
        description="failed logins from one address (any username) before each try waits; default 4 × login_max_failures",
    )
    login_window_seconds: int = Field(default=300, ge=1, description="failures older than this are forgotten")
    login_max_delay_seconds: int = Field(
        default=300, ge=1, description="the longest wait after repeated failures (the wait doubles with each)"
    )
    public_requests_per_minute: int = Field(
        default=120, ge=1, description="public widget API: requests per minute from one client address"
    )
    public_bookings_per_hour: int = Field(
        default=20, ge=1, description="public widget API: bookings and cancellations per hour from one client address"
    )
    public_key_requests_per_minute: int = Field(
        default=1200, ge=1, description="public widget API: requests per minute with one API key, all clients together"
    )
    services: list[str] | None = Field(default=None, description="enabled services; default: every installed one")
    service_urls: dict[str, str] = Field(
        default_factory=dict, description="distributed mode: service → base URL (also CLINIC_<SERVICE>_URL)"
    )
    proxy_timeout_seconds: float = 60.0

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _urls_from_env(self) -> GatewaySettings:
        for name in KNOWN_SERVICES:
            url = os.environ.get(f"CLINIC_{name.upper()}_URL")
            if url and name not in self.service_urls:
                self.service_urls[name] = url
        return self


def proxy_options(settings: GatewaySettings) -> dict[str, Any]:
    """uvicorn's options for X-Forwarded-For: believed only from `trusted_proxies`, else ignored
    (a caller could otherwise pick its own address and escape the per-address login limit)."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}
