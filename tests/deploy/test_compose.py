"""deploy/compose: the one-server install, checked offline (no Docker engine here).

The Compose file is read as Compose reads it (YAML with merge keys, then `${…}` interpolated in
the values) with `.env.example` plus what `make_env.py` prints, then checked against a strict
structural schema of the Compose keys it may use (no package on PyPI ships a usable Compose
JSON schema that fits this venv), for references that name nothing, and against what the code
reads and the Helm chart sets, so the two installs stay the same.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from deploy_manifests import CHART, REPO, env_names_read_by, required_env, settings_class, signs_own_calls
from dotenv import dotenv_values

from clinic_shared.secretbox import SecretBox
from clinic_shared.settings import TrustedService
from gateway.runtime import public_key_of
from gateway.service_keys import own_call_rights
from gateway.settings import KNOWN_SERVICES

COMPOSE_DIR = REPO / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "compose.yaml"
BACKUP_SCRIPT = COMPOSE_DIR / "pg-backup.sh"
PROCESSES = ["gateway", *KNOWN_SERVICES]
DEMO = "demo"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME; $$ is a literal $.
VARIABLE = re.compile(r"\$(?:(\$)|\{(\w+)(?:(:?[-?])([^}]*))?\}|(\w+))")


# ---------------------------------------------------------------- reading it as Compose does


@cache
def example_env() -> dict[str, str]:
    return {k: v or "" for k, v in dotenv_values(COMPOSE_DIR / ".env.example").items()}


def make_env() -> dict[str, str]:
    """What make_env.py prints, read back as Compose reads .env (python-dotenv's rules are the same)."""
    spec = importlib.util.spec_from_file_location("compose_make_env", COMPOSE_DIR / "make_env.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    printed = "\n".join(module.env_lines())
    return {k: v or "" for k, v in dotenv_values(stream=io.StringIO(printed)).items()}


@cache
def generated_env() -> dict[str, str]:
    return make_env()


def interpolate(value: str, env: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        literal, braced, operator, argument, bare = match.groups()
        if literal:
            return "$"
        name = braced or bare
        present = name in env and (env[name] != "" or operator in ("-", "?"))
        if operator in (":?", "?") and not present:
            raise KeyError(f"required variable {name} is not set: {argument}")
        if operator in (":-", "-") and not present:
            return argument
        return env.get(name, "")

    return VARIABLE.sub(one, value)


def interpolated(node: Any, env: dict[str, str]) -> Any:
    """Compose interpolates values after parsing (so a PEM with newlines stays one value)."""
    if isinstance(node, dict):
        return {key: interpolated(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolated(value, env) for value in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())  # type: ignore[no-any-return]


@cache
def _compose() -> str:
    return json.dumps(interpolated(raw(), example_env() | generated_env()))


def compose() -> dict[str, Any]:
    """The Compose file as `docker compose config` resolves it with a fresh .env (a fresh copy)."""
    return json.loads(_compose())  # type: ignore[no-any-return]


def services(*, demo: bool = False) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in compose()["services"].items() if (DEMO in s.get("profiles", [])) == demo}


def env_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "environment as a mapping: one variable per line"
    return {name: str(value) for name, value in environment.items()}


# ---------------------------------------------------------------- the structure


def _strict(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
        "required": required or [],
    }


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
DURATION = {"type": "string", "pattern": r"^(\d+(\.\d+)?(h|m|s|ms|us))+$"}
# The subset of the Compose specification this file may use; anything else is a typo or needs
# adding here on purpose (compose-spec.json names the same keys and types).
SERVICE_SCHEMA = _strict(
    {
        "image": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._/:@-]*$"},
        "build": _strict(
            {"context": STRING, "dockerfile": STRING, "args": {"type": "object", "additionalProperties": STRING}},
            ["context"],
        ),
        "command": STRINGS,
        "entrypoint": STRINGS,
        "environment": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
        "ports": {"type": "array", "items": {"type": "string", "pattern": r"^([\d.]+:)?\d+:\d+(/tcp|/udp)?$"}},
        "volumes": {"type": "array", "items": {"type": "string", "pattern": r"^[^:]+:/[^:]*(:ro|:rw)?$"}},
        "tmpfs": STRINGS,
        "read_only": {"type": "boolean"},
        "cap_drop": STRINGS,
        "security_opt": STRINGS,
        "hostname": STRING,
        "shm_size": STRING,
        "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
        "stop_grace_period": DURATION,
        "profiles": STRINGS,
        "secrets": STRINGS,
        "networks": STRINGS,
        "healthcheck": _strict(
            {
                "test": {"oneOf": [STRING, {"type": "array", "items": STRING, "minItems": 2}]},
                "interval": DURATION,
                "timeout": DURATION,
                "retries": {"type": "integer", "minimum": 1},
                "start_period": DURATION,
                "disable": {"type": "boolean"},
            }
        ),
        "depends_on": {
            "type": "object",
            "additionalProperties": _strict(
                {
                    "condition": {"enum": ["service_started", "service_healthy", "service_completed_successfully"]},
                    "restart": {"type": "boolean"},
                    "required": {"type": "boolean"},
                },
                ["condition"],
            ),
        },
        "logging": _strict(
            {
                "driver": {"enum": ["json-file", "local"]},
                "options": {"type": "object", "additionalProperties": STRING},
            },
            ["driver"],
        ),
    },
    ["image"],
)
COMPOSE_SCHEMA = _strict(
    {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "services": {"type": "object", "additionalProperties": SERVICE_SCHEMA},
        "volumes": {"type": "object", "additionalProperties": {"type": ["object", "null"]}},
        "networks": {"type": "object", "additionalProperties": {"type": ["object", "null"]}},
        "secrets": {"type": "object", "additionalProperties": _strict({"file": STRING, "environment": STRING})},
    },
    ["services"],
)


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(COMPOSE_SCHEMA)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_has_only_keys_and_values_of_the_compose_specification() -> None:
    assert schema_errors(compose()) == []


def test_the_structural_check_catches_a_misspelt_key_and_a_bad_value() -> None:
    broken = compose()
    broken["services"]["patients"]["restrat"] = "always"
    broken["services"]["lab"]["healthcheck"]["interval"] = "30 seconds"
    assert sorted(schema_errors(broken)) == [
        "services.lab.healthcheck.interval: '30 seconds' does not match '^(\\\\d+(\\\\.\\\\d+)?(h|m|s|ms|us))+$'",
        "services.patients: 'restrat' does not match any of the regexes: '^x-'",
    ]


# ---------------------------------------------------------------- references


def named_volumes(service: dict[str, Any]) -> set[str]:
    """Volume sources that are names (not ./paths or /paths)."""
    sources = {entry.split(":", 1)[0] for entry in service.get("volumes", [])}
    return {source for source in sources if not source.startswith((".", "/", "~"))}


def reference_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    every = document["services"]
    for name, service in every.items():
        demo = DEMO in service.get("profiles", [])
        for target in service.get("depends_on", {}):
            if target not in every:
                problems.append(f"{name}: depends on {target}, which is no service")
            elif not demo and DEMO in every[target].get("profiles", []):
                problems.append(f"{name}: depends on {target}, which only the demo profile starts")
        for kind, find in (("volume", named_volumes), ("secret", lambda s: set(s.get("secrets", [])))):
            for missing in sorted(find(service) - set(document.get(f"{kind}s") or {})):
                problems.append(f"{name}: uses {kind} {missing}, which is not declared")
        for missing in sorted(set(service.get("networks", [])) - set(document.get("networks") or {}) - {"default"}):
            problems.append(f"{name}: uses network {missing}, which is not declared")
        for profile in service.get("profiles", []):
            if profile != DEMO:
                problems.append(f"{name}: profile {profile} (the only one is {DEMO})")
    used = {volume for service in every.values() for volume in named_volumes(service)}
    problems += [
        f"volume {volume} is declared but unused" for volume in sorted(set(document.get("volumes") or {}) - used)
    ]
    return problems


def test_every_service_volume_secret_network_and_profile_named_exists() -> None:
    assert reference_problems(compose()) == []


def test_a_dangling_reference_is_reported() -> None:
    broken = compose()
    broken["services"]["gateway"]["depends_on"]["migration"] = {"condition": "service_completed_successfully"}
    broken["services"]["patients"]["depends_on"]["fake-sms"] = {"condition": "service_started"}
    broken["services"]["postgres"]["volumes"] = ["pg-data:/var/lib/postgresql/data"]
    assert reference_problems(broken) == [
        "postgres: uses volume pg-data, which is not declared",
        "gateway: depends on migration, which is no service",
        "patients: depends on fake-sms, which only the demo profile starts",
        "volume postgres-data is declared but unused",
    ]


def test_the_fakes_run_only_in_the_demo_profile_and_only_the_gateway_publishes_a_port() -> None:
    assert set(services(demo=True)) == {"fake-ondoc", "fake-sms", "smtp-sink"}
    published = {name for name, s in compose()["services"].items() if s.get("ports")}
    assert published == {"gateway"}
    assert compose()["services"]["gateway"]["ports"] == ["127.0.0.1:8080:8080"]


def test_every_long_running_service_has_a_health_check_and_a_restart_policy_and_rotated_logs() -> None:
    for name, service in compose()["services"].items():
        assert service.get("logging", {}).get("options", {}).get("max-size"), f"{name}: logs are not rotated"
        if name == "migrations":
            assert service["restart"] == "no" and service["healthcheck"] == {"disable": True}
            continue
        assert service.get("restart") in ("always", "unless-stopped"), name
        assert service["healthcheck"].get("test") and not service["healthcheck"].get("disable"), name


def test_the_clinic_processes_are_checked_on_their_health_endpoint() -> None:
    for name in PROCESSES:
        assert "http://127.0.0.1:8080/health" in " ".join(services()[name]["healthcheck"]["test"]), name


# ---------------------------------------------------------------- the image and the processes


def clinic_services() -> dict[str, dict[str, Any]]:
    """Every service running the clinic image (the processes and the migrations)."""
    image = compose()["services"]["gateway"]["image"]
    return {name: s for name, s in services().items() if s["image"] == image}


def test_the_image_is_built_once_from_the_repository_dockerfile_and_shared() -> None:
    built = {name: s["build"] for name, s in services().items() if "build" in s}
    assert list(built) == ["gateway"]
    context = (COMPOSE_DIR / built["gateway"]["context"]).resolve()
    assert context == REPO and (context / built["gateway"]["dockerfile"]).is_file()
    assert set(clinic_services()) == {*PROCESSES, "migrations"}
    for service in clinic_services().values():
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]


def test_the_demo_image_is_the_clinic_image_with_the_fakes_libraries() -> None:
    demo = services(demo=True)
    built = {name: s["build"] for name, s in demo.items() if "build" in s}
    assert list(built) == ["fake-ondoc"]
    dockerfile = COMPOSE_DIR / built["fake-ondoc"]["context"] / built["fake-ondoc"]["dockerfile"]
    assert "FROM ${IMAGE}" in dockerfile.read_text()
    assert built["fake-ondoc"]["args"]["IMAGE"] == compose()["services"]["gateway"]["image"]
    assert {s["image"] for s in demo.values()} == {compose()["services"]["gateway"]["image"] + "-demo"}
    assert "--extra fakes" in dockerfile.read_text()


@cache
def chart_values() -> dict[str, Any]:
    return yaml.safe_load((CHART / "values.yaml").read_text())  # type: ignore[no-any-return]


def package_of(process: str) -> str:
    """The Python package the chart runs for a process (what the image's first argument names)."""
    spec = chart_values()["gateway"] if process == "gateway" else chart_values()["services"][process]
    return spec["package"]  # type: ignore[no-any-return]


def test_each_process_runs_its_package_as_the_chart_does() -> None:
    for process in PROCESSES:
        assert services()[process]["command"] == [package_of(process)], process


def test_the_migrations_apply_every_schema_before_any_process_starts() -> None:
    migrations = services()["migrations"]
    script = migrations["entrypoint"][-1]
    packages = re.search(r"for package in ([\w ]+);", script)
    assert packages and packages.group(1).split() == [package_of(p) for p in PROCESSES]
    assert 'entrypoint.sh migrate "$package"' in script and "|| exit 1" in script
    for process in PROCESSES:
        assert services()[process]["depends_on"]["migrations"]["condition"] == "service_completed_successfully"
        assert env_of(services()[process])["CLINIC_RUN_MIGRATIONS"] == "false", process
    env = env_of(migrations)
    assert env["CLINIC_DATABASE_URL"] == env_of(services()["gateway"])["CLINIC_DATABASE_URL"]
    # The notifier's and the bridge's migrations encrypt stored credentials: the same key as theirs.
    assert env["CLINIC_SECRETS_KEY"] == env_of(services()["notifier"])["CLINIC_SECRETS_KEY"]


def env_problems_of(env: dict[str, set[str]]) -> list[str]:
    """What deploy_manifests.env_problems checks for the chart, on Compose's environments."""
    problems = []
    for component in PROCESSES:
        known = env_names_read_by(settings_class(component))
        problems += [
            f"{component}: sets {name}, which its code does not read" for name in sorted(env[component] - known)
        ]
        problems += [
            f"{component}: misses {name}, which it needs" for name in sorted(required_env(component) - env[component])
        ]
        if "CLINIC_SERVICE_PRIVATE_KEY" in env[component] and not (
            component != "gateway" and signs_own_calls(component)
        ):
            problems.append(f"{component}: gets CLINIC_SERVICE_PRIVATE_KEY, but makes no calls on its own behalf")
    return problems


def test_every_process_gets_exactly_the_settings_its_code_reads_and_needs() -> None:
    env = {process: set(env_of(services()[process])) for process in PROCESSES}
    assert env_problems_of(env) == []
    env["scheduling"].discard("CLINIC_PATIENTS_URL")
    env["lab"].add("CLINIC_LAB_EXCHANGE_TICK")
    assert env_problems_of(env) == [
        "scheduling: misses CLINIC_PATIENTS_URL, which it needs",
        "lab: sets CLINIC_LAB_EXCHANGE_TICK, which its code does not read",
    ]


def test_settings_peers_and_secrets_are_those_of_the_chart() -> None:
    values = chart_values()
    for process in PROCESSES:
        env = env_of(services()[process])
        for name, value in values["config"].items():
            assert env.get(name) == str(value), f"{process}: {name}"
        spec = values["gateway"] if process == "gateway" else values["services"][process]
        for name, value in spec["env"].items():
            if name != "CLINIC_TRUSTED_PROXIES":  # the chart trusts the cluster's ranges; here the proxy's
                assert env.get(name) == str(value), f"{process}: {name}"
        if process == "gateway":
            assert json.loads(env["CLINIC_SERVICES"]) == sorted(values["services"])
            continue
        urls = {name for name in env if re.fullmatch(r"CLINIC_[A-Z]+_URL", name)} - {
            "CLINIC_DATABASE_URL",
            "CLINIC_AMQP_URL",
        }
        assert urls == {f"CLINIC_{peer.upper()}_URL" for peer in spec["peers"]}, process
        assert ("CLINIC_SECRETS_KEY" in env) == bool(spec.get("storesSecrets")), process
        assert ("CLINIC_SERVICE_PRIVATE_KEY" in env) == bool(spec.get("signsOwnCalls")), process
    peers_urls = {
        value
        for s in services().values()
        for name, value in env_of(s).items()
        if re.fullmatch(r"CLINIC_[A-Z]+_URL", name)
    }
    assert {url for url in peers_urls if url.startswith("http")} == {f"http://{p}:8080" for p in KNOWN_SERVICES}


def test_only_the_gateway_gets_the_key_that_signs_user_tokens_and_the_admin_password() -> None:
    for name, service in services().items():
        env = env_of(service)
        assert ("CLINIC_JWT_PRIVATE_KEY" in env) == (name == "gateway"), name
        assert ("CLINIC_ADMIN_PASSWORD" in env) == (name == "gateway"), name


# ---------------------------------------------------------------- the .env


def variables_without_default() -> set[str]:
    found = set()
    for match in VARIABLE.finditer(COMPOSE_FILE.read_text()):
        _literal, braced, operator, _argument, bare = match.groups()
        if (braced or bare) and operator not in (":-", "-"):
            found.add(braced or bare)
    return found


def test_every_variable_the_compose_file_needs_comes_from_env_example_or_make_env() -> None:
    example, generated = set(example_env()), set(generated_env())
    assert not example & generated, "make_env.py would repeat what .env.example sets"
    assert variables_without_default() - example - generated == set()
    used = {m.group(2) or m.group(5) for m in VARIABLE.finditer(COMPOSE_FILE.read_text()) if not m.group(1)}
    assert (example | generated) - used == set(), "set in .env but never used by compose.yaml"


def test_a_missing_secret_stops_compose_with_a_message_naming_make_env() -> None:
    env = example_env() | generated_env()
    del env["SECRETS_KEY"]
    with pytest.raises(KeyError, match=r"SECRETS_KEY is not set: run make_env\.py"):
        interpolated(raw(), env)


def test_make_env_makes_secrets_that_work_together() -> None:
    env = generated_env()
    private, public = env["JWT_PRIVATE_KEY"], env["JWT_PUBLIC_KEY"]
    # Real lines again (Compose reads `\\n` in double quotes as a newline), and a matching pair.
    assert private.startswith("-----BEGIN PRIVATE KEY-----\n") and public_key_of(private) == public
    trusted = {name: TrustedService.model_validate(entry) for name, entry in json.loads(env["SERVICE_KEYS"]).items()}
    signers = own_call_rights(list(KNOWN_SERVICES))
    assert set(trusted) == set(signers) and signers
    for name, rights in signers.items():
        assert trusted[name].rights == sorted(rights)
        assert trusted[name].public_keys == [public_key_of(env[f"SERVICE_KEY_{name.upper()}"])]
    box = SecretBox.from_text(env["SECRETS_KEY"])
    assert box.decrypt(box.encrypt("a password")) == "a password"
    for name in ("POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "ADMIN_PASSWORD"):
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", env[name]), f"{name} goes into a URL: URL-safe characters only"
    again = make_env()
    assert all(again[name] != env[name] for name in env), "every run makes new values"


def test_the_demo_fakes_command_lines_are_ones_their_parsers_accept() -> None:
    for name, service in services(demo=True).items():
        entrypoint = service["entrypoint"]
        assert entrypoint[:2] == ["python", "-m"], name
        module = importlib.import_module(entrypoint[2] + (".__main__" if entrypoint[2].endswith("fake_ondoc") else ""))
        args = module.argument_parser().parse_args(service["command"])
        assert args.host == "0.0.0.0", name


# ---------------------------------------------------------------- the backup script's arguments


def backup_script(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(BACKUP_SCRIPT), *args], capture_output=True, text=True, timeout=30, check=False, cwd=cwd
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "missing command (backup, restore or list)"),
        (("save", "x.dump"), "unknown command: save"),
        (("backup",), "missing FILE"),
        (("backup", "--verbose", "x.dump"), "unknown option: --verbose"),
        (("backup", "--url"), "--url needs a value"),
        (("backup", "a.dump", "b.dump"), "more than one FILE: a.dump, b.dump"),
        (("restore", "--schema", "patients", "x.dump"), "--schema is for backup only"),
    ],
)
def test_the_backup_script_refuses_wrong_usage_with_exit_64(args: tuple[str, ...], message: str) -> None:
    result = backup_script(*args)
    assert result.returncode == 64 and message in result.stderr and "pg-backup.sh backup" in result.stderr


def test_the_backup_script_never_overwrites_a_backup_nor_restores_a_missing_file(tmp_path: Path) -> None:
    existing = tmp_path / "clinic.dump"
    existing.write_bytes(b"an earlier backup")
    result = backup_script("backup", "--url", "postgresql://nobody@127.0.0.1:1/none", str(existing))
    assert result.returncode == 1 and "already exists" in result.stderr
    assert existing.read_bytes() == b"an earlier backup"
    result = backup_script("restore", "--url=postgresql://nobody@127.0.0.1:1/none", str(tmp_path / "missing.dump"))
    assert result.returncode == 1 and "is not a readable file" in result.stderr


def test_the_backup_script_never_prints_the_database_password(tmp_path: Path) -> None:
    result = backup_script(
        "backup", "--url", "postgresql+asyncpg://clinic:s3cret-pw@127.0.0.1:1/clinic", str(tmp_path / "x.dump")
    )
    assert result.returncode == 1 and "s3cret-pw" not in result.stdout + result.stderr
    assert "postgresql://clinic:***@127.0.0.1:1/clinic" in result.stderr
    assert not list(tmp_path.iterdir()), "a failed backup leaves no file behind"
