"""Service keys: the own Ed25519 key of each service that calls others with no user in the loop.

Such a service (the ONDOC bridge, booking what ONDOC sends) signs short-lived tokens with its
own key; every process trusts that key only for the rights the service's code declares
(`PEER_RIGHTS` of its app module, the `peer_rights` of its `ServiceSpec`). The gateway's key,
which mints user tokens, stays in the gateway. Embedded mode makes fresh keys on every start,
`make up` keeps them in `var/cluster`, and for a cluster this module's command writes the
files of the Secret:

    python -m gateway.service_keys --out keys/ [--previous old-service-keys.json]

→ `keys/service-key-<service>` (private, for that service only) and `keys/service-keys`
(the `CLINIC_SERVICE_KEYS` JSON every process reads; with `--previous` the old public keys stay
listed after the new ones, for a rotation without failed calls; see docs/operations.md).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from clinic_shared.auth import generate_keypair
from clinic_shared.settings import TrustedService
from gateway.runtime import public_key_of
from gateway.settings import KNOWN_SERVICES

PRIVATE_KEY_FILE = "service-key-{service}"  # also the key name in the Kubernetes Secret
TRUST_FILE = "service-keys"


def own_call_rights(services: list[str]) -> dict[str, list[str]]:
    """{service: rights of its own calls} for the given services that call others on their own behalf."""
    found: dict[str, list[str]] = {}
    for name in services:
        module = importlib.import_module(f"{KNOWN_SERVICES[name]}.app")
        rights = list(getattr(module, "PEER_RIGHTS", []))
        if rights:
            found[name] = rights
    return found


@dataclass(frozen=True)
class ServiceKeys:
    """Private keys of the signing services and what every verifier trusts of them."""

    private_keys: dict[str, str]
    trusted: dict[str, TrustedService]

    def trust_json(self) -> str:
        """The value of `CLINIC_SERVICE_KEYS`."""
        return json.dumps({name: entry.model_dump() for name, entry in sorted(self.trusted.items())})


def service_keys(
    rights: dict[str, list[str]],
    *,
    private_keys: dict[str, str] | None = None,
    previous: dict[str, TrustedService] | None = None,
) -> ServiceKeys:
    """Keys for every service in `rights`: the given private key, else a fresh one.

    Public keys of `previous` stay trusted after the new ones (a rotation in progress)."""
    chosen = {name: (private_keys or {}).get(name) or generate_keypair()[0] for name in rights}
    trusted: dict[str, TrustedService] = {}
    for name, private_pem in chosen.items():
        keys = [public_key_of(private_pem)]
        old = (previous or {}).get(name)
        keys += [key for key in (old.public_keys if old else []) if key not in keys]
        trusted[name] = TrustedService(public_keys=keys, rights=sorted(rights[name]))
    return ServiceKeys(private_keys=chosen, trusted=trusted)


def load_or_create(state_dir: Path, rights: dict[str, list[str]]) -> dict[str, str]:
    """Private keys kept in `state_dir` (`make up`), made on first use; {service: PEM}."""
    keys: dict[str, str] = {}
    for name in rights:
        key_file = state_dir / PRIVATE_KEY_FILE.format(service=name)
        if not key_file.exists():
            state_dir.mkdir(parents=True, exist_ok=True)
            key_file.touch(mode=0o600)
            key_file.write_text(generate_keypair()[0])
        keys[name] = key_file.read_text()
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description="Make the own keys of the services that sign their own calls.")
    parser.add_argument("--out", type=Path, required=True, help="directory for the Secret's files")
    parser.add_argument("--previous", type=Path, help="the current service-keys JSON, to keep its public keys")
    args = parser.parse_args()
    previous = None
    if args.previous is not None:
        raw = json.loads(args.previous.read_text())
        previous = {name: TrustedService.model_validate(entry) for name, entry in raw.items()}
    installed = [name for name, package in KNOWN_SERVICES.items() if importlib.util.find_spec(package) is not None]
    keys = service_keys(own_call_rights(installed), previous=previous)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, private_pem in keys.private_keys.items():
        path = args.out / PRIVATE_KEY_FILE.format(service=name)
        path.touch(mode=0o600)
        path.write_text(private_pem)
        print(f"wrote {path}")
    (args.out / TRUST_FILE).write_text(keys.trust_json())
    print(f"wrote {args.out / TRUST_FILE}")


if __name__ == "__main__":
    main()
