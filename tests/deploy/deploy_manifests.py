"""What the deployment tests share: rendering the chart and the overlays, validating objects,
and what the code itself says each process reads (so the manifests are checked against it).
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml
from helm_render import render_chart_objects

from clinic_shared.settings import PEER_SERVICES, ServiceSettings
from gateway.service_keys import own_call_rights
from gateway.settings import KNOWN_SERVICES, GatewaySettings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
CHART = DEPLOY / "k8s" / "chart"
KUSTOMIZE = DEPLOY / "k8s" / "kustomize"
OVERLAYS = ("dev", "prod")
# The oldest and the newest Kubernetes the chart claims (Chart.yaml kubeVersion >=1.27) that
# kubernetes-validate ships schemas for, checked offline.
K8S_VERSIONS = ("1.27.0", "1.32.0")
# Variables a pod gets that are not CLINIC_ settings: the user and password Kubernetes expands into
# CLINIC_DATABASE_URL / CLINIC_AMQP_URL when they come from an operator's Secret (values.yaml
# postgresql.fromSecret, rabbitmq.fromSecret); outside the settings' namespace on purpose.
OPERATOR_CREDENTIALS = {"DB_USER", "DB_PASSWORD", "AMQP_USER", "AMQP_PASSWORD"}
NON_CLINIC_ENV: dict[str, set[str]] = {component: OPERATOR_CREDENTIALS for component in ["gateway", *KNOWN_SERVICES]}
PEER_CALL = re.compile(r"""\.peer\(\s*["'](\w+)["']""")
# A column type that encrypts with CLINIC_SECRETS_KEY (clinic_shared.secretbox).
ENCRYPTED_COLUMN = re.compile(r"mapped_column\(\s*Encrypted(?:Text|JSON)\b")


# ---------------------------------------------------------------- rendering


def chart_objects(**kwargs: Any) -> list[dict[str, Any]]:
    return render_chart_objects(kwargs.pop("chart_dir", CHART), **kwargs)


def kubectl() -> str | None:
    return shutil.which("kubectl")


def kustomize_objects(directory: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize <directory>` as objects (the caller skips when kubectl is absent)."""
    result = subprocess.run(
        [kubectl() or "kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {directory} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def validation_errors(objects: Iterable[dict[str, Any]], version: str = K8S_VERSIONS[-1]) -> list[str]:
    """kubernetes-validate (strict: unknown fields are errors) on every object; [] when all pass."""
    errors: list[str] = []
    for obj in objects:
        where = f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            errors.append(f"{where}: {path}: {exc.message}")
        except (kubernetes_validate.SchemaNotFoundError, KeyError, TypeError) as exc:
            errors.append(f"{where}: {exc}")
    return errors


# ---------------------------------------------------------------- reading objects


def by_kind(objects: Iterable[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def component_of(deployment: dict[str, Any]) -> str:
    """`gateway` or the service's public name (`ondoc`, …) from the standard name label."""
    return deployment["metadata"]["labels"]["app.kubernetes.io/name"]


def container_env_names(container: dict[str, Any], configmaps: dict[str, dict[str, Any]]) -> set[str]:
    """Every variable a container gets: its `env` and the keys of the ConfigMaps in `envFrom`."""
    names = {item["name"] for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef")
        if ref is None:
            raise AssertionError(f"envFrom other than a ConfigMap hides variable names: {source}")
        names |= set(configmaps[ref["name"]].get("data", {}))
    return names


def workload_env(objects: list[dict[str, Any]]) -> dict[str, set[str]]:
    """{component: env var names} of every Deployment."""
    configmaps = by_kind(objects, "ConfigMap")
    return {
        component_of(deployment): container_env_names(
            deployment["spec"]["template"]["spec"]["containers"][0], configmaps
        )
        for deployment in by_kind(objects, "Deployment").values()
    }


def workload_shape(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """What must be the same however the platform is deployed: workloads, ports, probes, env names."""
    shape: dict[str, Any] = {}
    env = workload_env(objects)
    for name, deployment in by_kind(objects, "Deployment").items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        shape[f"Deployment/{name}"] = {
            "args": container.get("args"),
            "ports": sorted((p["name"], p["containerPort"]) for p in container["ports"]),
            "readiness": container["readinessProbe"].get("httpGet", {}).get("path"),
            "liveness": sorted(container["livenessProbe"]),
            "env": sorted(env[component_of(deployment)]),
        }
    for name, service in by_kind(objects, "Service").items():
        shape[f"Service/{name}"] = sorted((p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"])
    for kind in ("Job", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress"):
        for name in by_kind(objects, kind):
            shape[f"{kind}/{name}"] = True
    return shape


# ---------------------------------------------------------------- what the code reads


def settings_class(component: str) -> type[ServiceSettings]:
    if component == "gateway":
        return GatewaySettings
    return importlib.import_module(f"{KNOWN_SERVICES[component]}.app").SETTINGS_CLASS  # type: ignore[no-any-return]


def env_names_read_by(settings: type[ServiceSettings]) -> set[str]:
    """CLINIC_<FIELD> of every field (pydantic-settings' env prefix) plus the CLINIC_<PEER>_URL
    variables the settings validators read."""
    prefix = settings.model_config.get("env_prefix", "")
    names = {f"{prefix}{field}".upper() for field in settings.model_fields}
    peers = KNOWN_SERVICES if settings is GatewaySettings else PEER_SERVICES
    return names | {f"CLINIC_{peer.upper()}_URL" for peer in peers}


@cache
def peers_called_by(component: str) -> frozenset[str]:
    """Services a service's code calls through `runtime.peer("<name>")` (a scan of its sources)."""
    package = importlib.import_module(KNOWN_SERVICES[component])
    source_dir = Path(package.__file__ or "").parent
    found = {match for path in source_dir.rglob("*.py") for match in PEER_CALL.findall(path.read_text())}
    return frozenset(found)


@cache
def stores_secrets(component: str) -> bool:
    """Whether a service keeps credentials in encrypted columns (then it needs CLINIC_SECRETS_KEY)."""
    package = importlib.import_module(KNOWN_SERVICES[component])
    source_dir = Path(package.__file__ or "").parent
    return any(ENCRYPTED_COLUMN.search(path.read_text()) for path in source_dir.rglob("*.py"))


def signs_own_calls(component: str) -> bool:
    """Whether a service calls others on its own behalf (its app declares PEER_RIGHTS): it needs its own key."""
    return component in own_call_rights([component])


def required_env(component: str) -> set[str]:
    """What a process cannot run without in a cluster (PostgreSQL, RabbitMQ, tokens, peers)."""
    if component == "gateway":
        return {
            "CLINIC_DATABASE_URL",
            "CLINIC_AMQP_URL",
            "CLINIC_JWT_PRIVATE_KEY",
            "CLINIC_SERVICE_KEYS",
            "CLINIC_ADMIN_PASSWORD",
            "CLINIC_SERVICES",
            "CLINIC_RUN_MIGRATIONS",
            "CLINIC_HOST",
            *(f"CLINIC_{name.upper()}_URL" for name in KNOWN_SERVICES),
        }
    required = {
        "CLINIC_DATABASE_URL",
        "CLINIC_AMQP_URL",
        "CLINIC_JWT_PUBLIC_KEY",
        "CLINIC_SERVICE_KEYS",
        "CLINIC_RUN_MIGRATIONS",
        *(f"CLINIC_{peer.upper()}_URL" for peer in peers_called_by(component)),
    }
    if signs_own_calls(component):
        required.add("CLINIC_SERVICE_PRIVATE_KEY")
    if stores_secrets(component):
        required.add("CLINIC_SECRETS_KEY")
    return required


def env_problems(objects: list[dict[str, Any]]) -> list[str]:
    """Differences between the variables each Deployment sets and what its code reads/needs."""
    problems: list[str] = []
    env = workload_env(objects)
    for component in ["gateway", *KNOWN_SERVICES]:
        if component not in env:
            problems.append(f"{component}: no Deployment")
            continue
        known = env_names_read_by(settings_class(component)) | NON_CLINIC_ENV.get(component, set())
        for name in sorted(env[component] - known):
            problems.append(f"{component}: sets {name}, which its code does not read")
        for name in sorted(required_env(component) - env[component]):
            problems.append(f"{component}: misses {name}, which it needs")
        signer = component != "gateway" and signs_own_calls(component)
        if "CLINIC_SERVICE_PRIVATE_KEY" in env[component] and not signer:
            problems.append(f"{component}: gets CLINIC_SERVICE_PRIVATE_KEY, but makes no calls on its own behalf")
    return problems
