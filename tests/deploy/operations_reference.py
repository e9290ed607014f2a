"""The configuration reference of docs/operations.md, generated from the settings classes.

The table between the `settings-reference` markers is this module's output; a test fails when
the doc and the code differ. After adding or changing a setting:

    .venv/bin/python tests/deploy/operations_reference.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from deploy_manifests import settings_class
from doc_sections import replace_section, section
from pydantic.fields import FieldInfo

from clinic_shared.settings import PEER_SERVICES
from gateway.settings import KNOWN_SERVICES

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
BEGIN, END = "<!-- settings-reference:begin -->", "<!-- settings-reference:end -->"
PROCESSES = ["gateway", *KNOWN_SERVICES]
# Meanings of the settings whose field has no description (or only repeats its name).
NOTES = {
    "CLINIC_CONSUMER_MAX_ATTEMPTS": "deliveries of one event before it is parked in the `<queue>.dead` queue",
    "CLINIC_CONSUMER_PREFETCH": "unacknowledged events one consumer holds at once (RabbitMQ prefetch)",
    "CLINIC_DATA_DIR": "embedded mode: where the SQLite files (and the generated signing key) live",
    "CLINIC_DB_POOL_SIZE": "PostgreSQL connections per process (and as many again at peaks); a SQLite database has one",
    "CLINIC_EVENTS_EXCHANGE": "RabbitMQ topic exchange of the domain events",
    "CLINIC_HOST": "address the gateway listens on (the image sets 0.0.0.0)",
    "CLINIC_HTTP_RETRIES": "retries of an idempotent call to another service",
    "CLINIC_HTTP_TIMEOUT_SECONDS": "timeout of one call to another service",
    "CLINIC_JWT_AUDIENCE": "`aud` of the tokens, checked by every service",
    "CLINIC_JWT_ISSUER": "`iss` of the tokens, checked by every service",
    "CLINIC_LOGIN_WINDOW_SECONDS": "window of the failed-login limit",
    "CLINIC_LOG_FORMAT": "`json` (one object a line) or `console`",
    "CLINIC_LOG_LEVEL": "DEBUG, INFO, WARNING, ERROR",
    "CLINIC_NOTIFIER_PROVIDER_TIMEOUT_SECONDS": "timeout of one call to the SMS provider or the SMTP server",
    "CLINIC_NOTIFIER_RETRY_MAX_SECONDS": "longest retry delay",
    "CLINIC_OUTBOX_POLL_SECONDS": "how often the outbox relay looks for unpublished events",
    "CLINIC_PORT": "port the gateway listens on (the image sets 8080)",
    "CLINIC_PROXY_TIMEOUT_SECONDS": "timeout of one request the gateway forwards to a service",
    "CLINIC_QUEUE_PREFIX": "prefix of every RabbitMQ queue name (tests, side-by-side installs)",
    "CLINIC_SERVICE_NAME": "the process's own name; never set it",
    "CLINIC_TIMEZONE": "the clinic's time zone (IANA name)",
    "CLINIC_TOKEN_TTL_MINUTES": "lifetime of an access token",
}


def _default(field: FieldInfo) -> Any:
    return field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]


def _show(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value == "":
        return "empty"
    if value == [] or value == {}:
        return "`[]`" if value == [] else "`{}`"
    return f"`{value}`"


def reference_rows() -> list[tuple[str, str, str, str]]:
    """(variable, default, read by, meaning) for every CLINIC_ variable a settings class reads."""
    seen: dict[str, dict[str, Any]] = {}
    for process in PROCESSES:
        cls = settings_class(process)
        prefix = cls.model_config.get("env_prefix", "")
        for name, field in cls.model_fields.items():
            entry = seen.setdefault(f"{prefix}{name}".upper(), {"defaults": {}, "description": ""})
            entry["defaults"][process] = _default(field)
            entry["description"] = entry["description"] or (field.description or "")
    rows = []
    for var in sorted(seen):
        entry = seen[var]
        defaults: dict[str, Any] = entry["defaults"]
        readers = "every process" if len(defaults) == len(PROCESSES) else ", ".join(defaults)
        values = {_show(v) for v in defaults.values()}
        default = values.pop() if len(values) == 1 else "; ".join(f"{p}: {_show(v)}" for p, v in defaults.items())
        description = re.sub(rf"^{var}(: )?", "", re.sub(r"\s+", " ", entry["description"]).strip())
        description = (description or NOTES.get(var, "")).replace("|", "\\|")
        rows.append((f"`{var}`", default, readers, description))
    for peer in PEER_SERVICES:
        rows.append(
            (f"`CLINIC_{peer.upper()}_URL`", "unset", "every process", f"base URL of the {peer} service (distributed)")
        )
    return rows


def reference_markdown() -> str:
    lines = ["| variable | default | read by | meaning |", "|---|---|---|---|"]
    lines += [f"| {var} | {default} | {readers} | {meaning} |" for var, default, readers, meaning in reference_rows()]
    return "\n".join(lines)


def documented_reference() -> str:
    return section(DOC, BEGIN, END)


def main() -> None:
    replace_section(DOC, BEGIN, END, reference_markdown())
    print(f"updated {DOC}")


if __name__ == "__main__":
    main()
