"""Print the secrets of a Compose install as `.env` lines (deploy/compose/compose.yaml).

Run it with the clinic image, which has everything it imports, and append to `.env`:

    docker run --rm -i --entrypoint python clinic/platform:0.1.0 - < make_env.py >> .env

(or, in a checkout with the venv: `.venv/bin/python deploy/compose/make_env.py >> deploy/compose/.env`).
Run it once per install: new values for a running install lock everyone out (new token keys),
make the stored credentials unreadable (new secrets key) and break the database and broker
logins (their passwords are set on the first start only). docs/operations.md says how to
rotate each one.

What it prints, each made the way the Kubernetes docs make the Secret's keys:
- POSTGRES_PASSWORD, RABBITMQ_PASSWORD, ADMIN_PASSWORD: random, URL-safe (they go into URLs);
- SECRETS_KEY: `python -m clinic_shared.secretbox` (encrypts stored credentials: keep a copy
  apart from the database backups, a restore needs it);
- JWT_PRIVATE_KEY, JWT_PUBLIC_KEY: the gateway's Ed25519 pair (`clinic_shared.auth`);
- SERVICE_KEY_<SERVICE>, SERVICE_KEYS: the own keys of the services that sign their own calls
  and what every process trusts of them (`python -m gateway.service_keys`).
PEM values are double-quoted with `\\n` escapes (Compose and python-dotenv turn them back into
lines); the JSON of SERVICE_KEYS is single-quoted, so its own `\\n` escapes stay as they are.
"""

from __future__ import annotations

import importlib.util
import secrets

from clinic_shared.auth import generate_keypair
from clinic_shared.secretbox import generate_key
from gateway.service_keys import own_call_rights, service_keys
from gateway.settings import KNOWN_SERVICES


def _pem(value: str) -> str:
    return '"' + value.replace("\n", "\\n") + '"'


def env_lines() -> list[str]:
    """The `.env` lines of a fresh install."""
    jwt_private, jwt_public = generate_keypair()
    installed = [name for name, package in KNOWN_SERVICES.items() if importlib.util.find_spec(package) is not None]
    own = service_keys(own_call_rights(installed))
    lines = [
        "# Secrets made by make_env.py: keep this file private (chmod 600) and out of version control.",
        f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}",
        f"RABBITMQ_PASSWORD={secrets.token_urlsafe(24)}",
        f"ADMIN_PASSWORD={secrets.token_urlsafe(12)}",
        f"SECRETS_KEY={generate_key()}",
        f"JWT_PRIVATE_KEY={_pem(jwt_private)}",
        f"JWT_PUBLIC_KEY={_pem(jwt_public)}",
    ]
    lines += [f"SERVICE_KEY_{name.upper()}={_pem(pem)}" for name, pem in sorted(own.private_keys.items())]
    lines.append(f"SERVICE_KEYS='{own.trust_json()}'")
    return lines


if __name__ == "__main__":
    print("\n".join(env_lines()))
