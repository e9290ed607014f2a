"""Gateway settings (`CLINIC_*`)."""

from __future__ import annotations

import os

from pydantic import Field, SecretStr, model_validator

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
    token_ttl_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    admin_password: SecretStr | None = Field(
        default=None, description="password of the first `admin` user; required when no user exists"
    )
    password_hash_time_cost: int = Field(default=3, ge=1, description="argon2id iterations")
    password_hash_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB")
    cors_origins: list[str] = Field(default_factory=list, description='JSON list, e.g. ["http://localhost:5173"]')
    max_body_bytes: int = Field(default=64 * 1024 * 1024, description="larger request bodies get 413")
    max_query_bytes: int = Field(default=8192, description="longer query strings get 414")
    login_max_failures: int = Field(default=5, description="failed logins per user/IP within the window")
    login_max_failures_per_address: int | None = Field(
        default=None, description="failed logins from one address within the window; default 4 × login_max_failures"
    )
    login_window_seconds: int = 300
    services: list[str] | None = Field(default=None, description="enabled services; default: every installed one")
    service_urls: dict[str, str] = Field(
        default_factory=dict, description="distributed mode: service → base URL (also CLINIC_<SERVICE>_URL)"
    )
    proxy_timeout_seconds: float = 60.0

    @model_validator(mode="after")
    def _urls_from_env(self) -> GatewaySettings:
        for name in KNOWN_SERVICES:
            url = os.environ.get(f"CLINIC_{name.upper()}_URL")
            if url and name not in self.service_urls:
                self.service_urls[name] = url
        return self
