"""Settings shared by every service: read from `CLINIC_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Services reachable by name through the gateway's `/api/<name>` and by each other.
PEER_SERVICES = ("patients", "scheduling", "ondoc", "notifier", "profexam", "lab")


class TrustedService(BaseModel):
    """A service whose own tokens every verifier accepts: its public key(s) and the rights it may claim.

    Several keys are listed during a rotation (newest first); a token claiming a right not listed
    here is refused, so a leaked service key cannot mint more than that service's calls need.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    public_keys: list[str] = Field(min_length=1, description="PEM Ed25519 public keys, newest first")
    rights: list[str] = Field(default_factory=list, description="the most a token of this service may carry")

    @field_validator("public_keys")
    @classmethod
    def _ed25519_public_keys(cls, keys: list[str]) -> list[str]:
        for index, pem in enumerate(keys):
            try:
                key = serialization.load_pem_public_key(pem.encode())
            except ValueError as exc:
                raise ValueError(f"public_keys[{index}] is not a PEM public key") from exc
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError(f"public_keys[{index}] is not an Ed25519 key")
        return keys


class ServiceSettings(BaseSettings):
    """Base settings. A service subclasses it and sets `service_name`.

    Embedded mode needs no variables at all; distributed mode is chosen by setting
    `CLINIC_DATABASE_URL` (PostgreSQL) and `CLINIC_AMQP_URL` (RabbitMQ).
    """

    model_config = SettingsConfigDict(env_prefix="CLINIC_", extra="ignore", frozen=False)

    service_name: str = "service"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None,
        description="postgresql+asyncpg://… for distributed mode; empty → SQLite file under data_dir",
    )
    # Lower case only: PostgreSQL folds unquoted names, so "Clinic_patients" would be created as
    # one schema and searched as another.
    db_schema: str | None = Field(
        default=None, pattern=r"^[a-z_][a-z0-9_]*$", description="PostgreSQL schema; defaults to the service name"
    )
    db_schema_prefix: str = Field(
        default="",
        pattern=r"^([a-z_][a-z0-9_]*)?$",
        description="prefix of every schema/SQLite file (tests, side-by-side installs)",
    )
    db_pool_size: int = 10
    amqp_url: str | None = Field(default=None, description="amqp://… for RabbitMQ; empty → in-process bus")
    events_exchange: str = "clinic.events"
    queue_prefix: str = ""
    consumer_max_attempts: int = 5
    consumer_prefetch: int = 32
    consumer_delivery_limit: int = Field(
        default=10,
        ge=1,
        description=(
            "times RabbitMQ may take an event back from a consumer that never answered it (process killed, "
            "connection lost) before parking it in `<queue>.dead`; fixed when the queue is created"
        ),
    )
    outbox_poll_seconds: float = 0.25
    jwt_public_key: SecretStr | None = Field(default=None, description="PEM of the gateway's Ed25519 public key")
    service_private_key: SecretStr | None = Field(
        default=None,
        description=(
            "PEM of this service's own Ed25519 key, only for services that call others on their own behalf "
            "(no user): signs their short-lived service tokens; its public key goes in `CLINIC_SERVICE_KEYS`"
        ),
    )
    service_keys: dict[str, TrustedService] = Field(
        default_factory=dict,
        description=(
            'services trusted to sign their own calls, JSON `{"<service>": {"public_keys": ["<PEM>", …], '
            '"rights": ["scheduling.read", …]}}`: public keys newest first, rights the most its tokens may carry'
        ),
    )
    secrets_key: SecretStr | None = Field(
        default=None,
        description=(
            "keys that encrypt stored credentials (provider passwords, ONDOC tokens): base64url of 32 bytes, "
            "comma separated, newest first (the first encrypts, all decrypt); required in distributed mode by "
            "services that store credentials, embedded mode keeps one under data_dir"
        ),
    )
    service_urls: dict[str, str] = Field(
        default_factory=dict, description="other services' base URLs (also CLINIC_<SERVICE>_URL), distributed mode"
    )
    jwt_issuer: str = "clinic-gateway"
    jwt_audience: str = "clinic-api"
    timezone: str = "Europe/Moscow"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    otlp_endpoint: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description=(
            "OTLP/HTTP base URL of an OpenTelemetry collector (e.g. `http://otel-collector:4318`): tracing on, "
            "spans to `<url>/v1/traces`; unset → the standard `OTEL_EXPORTER_OTLP_ENDPOINT`, else tracing is off"
        ),
    )
    demo_data: bool = Field(default=False, description="load demo directories on first start (embedded: on)")
    run_migrations: bool = Field(default=True, description="apply Alembic migrations on start")
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description=(
            "distributed mode: worker processes serving this process's port, each a full replica (its own "
            "outbox relay and consumers, which already run safely side by side); `make up` uses one per CPU"
        ),
    )
    http_timeout_seconds: float = 10.0
    http_retries: int = 2
    outbound_allow_private: bool = Field(
        default=False,
        description=(
            "let the addresses staff set (ONDOC server, lab exchange, SMS provider, SMTP host) be loopback, "
            "link-local or private ones (never metadata, multicast or unspecified; clinic_shared.outbound); "
            "embedded mode and `make up` turn it on for their fakes"
        ),
    )

    @model_validator(mode="after")
    def _service_urls_from_env(self) -> ServiceSettings:
        for name in PEER_SERVICES:
            url = os.environ.get(f"CLINIC_{name.upper()}_URL")
            if url and name not in self.service_urls:
                self.service_urls[name] = url
        return self

    @property
    def schema_name(self) -> str:
        return self.db_schema_prefix + (self.db_schema or self.service_name.replace("-", "_"))

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url and self.database_url.startswith("postgresql"))

    def sqlite_path(self) -> Path:
        return self.data_dir / f"{self.schema_name}.db"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.sqlite_path()}"
