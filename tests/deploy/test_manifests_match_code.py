"""The chart and kustomize declare the same objects, and what the code actually reads and serves."""

from __future__ import annotations

import copy
import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from deploy_manifests import (
    CHART,
    KUSTOMIZE,
    OVERLAYS,
    REPO,
    by_kind,
    chart_objects,
    component_of,
    env_problems,
    kubectl,
    kustomize_objects,
    peers_called_by,
    stores_secrets,
    workload_shape,
)
from pydantic import SecretStr

from clinic_shared.auth import generate_keypair
from gateway.settings import KNOWN_SERVICES, GatewaySettings

needs_kubectl = pytest.mark.skipif(kubectl() is None, reason="kubectl is not installed")
PROCESSES = ["gateway", *KNOWN_SERVICES]


@needs_kubectl
def test_chart_and_kustomize_base_declare_the_same_workloads_ports_probes_and_env() -> None:
    assert workload_shape(kustomize_objects(KUSTOMIZE / "base")) == workload_shape(chart_objects())


def test_every_process_gets_exactly_the_settings_its_code_reads() -> None:
    assert env_problems(chart_objects()) == []


@needs_kubectl
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_overlay_sets_only_settings_the_code_reads(overlay: str) -> None:
    assert env_problems(kustomize_objects(KUSTOMIZE / "overlays" / overlay)) == []


def without_env(objects: list[dict[str, Any]], deployment: str, name: str) -> list[dict[str, Any]]:
    objects = copy.deepcopy(objects)
    container = by_kind(objects, "Deployment")[deployment]["spec"]["template"]["spec"]["containers"][0]
    container["env"] = [item for item in container["env"] if item["name"] != name]
    return objects


def test_a_required_setting_missing_from_the_manifests_is_reported() -> None:
    broken = without_env(chart_objects(), "clinic-scheduling", "CLINIC_PATIENTS_URL")
    assert env_problems(broken) == ["scheduling: misses CLINIC_PATIENTS_URL, which it needs"]


def test_a_variable_no_code_reads_is_reported() -> None:
    objects = chart_objects(values={"services": {"lab": {"env": {"CLINIC_LAB_EXCHANGE_TICK": "1"}}}})
    assert env_problems(objects) == ["lab: sets CLINIC_LAB_EXCHANGE_TICK, which its code does not read"]


def secret_keys_read(objects: list[dict[str, Any]], variable: str) -> dict[str, str]:
    """{Deployment: key of the Secret it reads `variable` from}."""
    found = {}
    for name, deployment in by_kind(objects, "Deployment").items():
        for item in deployment["spec"]["template"]["spec"]["containers"][0].get("env", []):
            if item["name"] == variable:
                found[name] = item["valueFrom"]["secretKeyRef"]["key"]
    return found


def test_only_the_gateway_gets_the_key_that_signs_user_tokens() -> None:
    assert secret_keys_read(chart_objects(), "CLINIC_JWT_PRIVATE_KEY") == {"clinic-gateway": "jwt-private-key"}


def test_the_ondoc_bridge_signs_its_own_calls_with_a_key_of_its_own_that_every_process_trusts() -> None:
    objects = chart_objects()
    assert secret_keys_read(objects, "CLINIC_SERVICE_PRIVATE_KEY") == {"clinic-ondoc": "service-key-ondoc"}
    trust = secret_keys_read(objects, "CLINIC_SERVICE_KEYS")
    assert trust == {f"clinic-{name}": "service-keys" for name in PROCESSES}


def test_a_service_key_given_to_a_service_that_does_not_sign_its_own_calls_is_reported() -> None:
    objects = chart_objects(values={"services": {"lab": {"signsOwnCalls": True}}})
    assert env_problems(objects) == ["lab: gets CLINIC_SERVICE_PRIVATE_KEY, but makes no calls on its own behalf"]


def test_each_service_is_given_the_urls_of_exactly_the_services_its_code_calls() -> None:
    import yaml

    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for name, spec in values["services"].items():
        assert set(spec["peers"]) == peers_called_by(name), name


def test_network_policies_let_a_service_in_only_from_the_gateway_its_callers_and_monitoring() -> None:
    policies = by_kind(chart_objects(), "NetworkPolicy")
    for service in KNOWN_SERVICES:
        sources = policies[f"clinic-{service}"]["spec"]["ingress"][0]["from"]
        pods = {s["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for s in sources if "podSelector" in s}
        callers = {other for other in KNOWN_SERVICES if service in peers_called_by(other)}
        assert pods == {"gateway", *callers}, service
        assert [s["namespaceSelector"] for s in sources if "namespaceSelector" in s] == [
            {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
        ]
    assert policies["clinic-default-deny"]["spec"] == {
        "podSelector": {"matchLabels": {"app.kubernetes.io/instance": "clinic"}},
        "policyTypes": ["Ingress", "Egress"],
    }


def ingress_paths() -> list[dict[str, Any]]:
    ingress = by_kind(chart_objects(), "Ingress")
    assert list(ingress) == ["clinic-gateway"]
    return ingress["clinic-gateway"]["spec"]["rules"][0]["http"]["paths"]


def test_only_the_gateway_is_reachable_from_outside_under_api_and_the_web_app() -> None:
    paths = ingress_paths()
    assert {p["backend"]["service"]["name"] for p in paths} == {"clinic-gateway"}
    assert ("/api", "Prefix") in [(p["path"], p["pathType"]) for p in paths]
    assert ("/", "Exact") in [(p["path"], p["pathType"]) for p in paths]
    assert {s["spec"]["type"] for s in by_kind(chart_objects(), "Service").values()} == {"ClusterIP"}


def test_health_and_metrics_stay_inside_the_cluster() -> None:
    exposed = [p["path"] for p in ingress_paths() if p["pathType"] == "Prefix"]
    for inside in ("/health", "/metrics"):
        assert not any(inside == path or inside.startswith(path.rstrip("/") + "/") for path in exposed), inside


def test_every_screen_of_the_web_app_is_reachable_through_the_ingress() -> None:
    """A reload of a screen's address asks the server for it: its first segment must be routed."""
    app = (REPO / "web" / "src" / "App.tsx").read_text()
    # The screens are the routes beside the schedule's (the back office's own are under /admin).
    indent = re.search(r'^( *)<Route path="schedule"', app, re.M)
    assert indent, "the schedule's route is not in web/src/App.tsx"
    top = re.findall(rf'^{indent.group(1)}<Route path="([^"*:][^"]*)"', app, re.M)
    screens = {f"/{path.split('/')[0]}" for path in top}
    exposed = {p["path"] for p in ingress_paths() if p["pathType"] == "Prefix"}
    assert screens and screens - exposed == set()
    assert "/assets" in exposed


def app_paths(component: str) -> set[str]:
    private_key, public_key = generate_keypair()
    if component == "gateway":
        from gateway.app import create_app

        app = create_app(GatewaySettings(jwt_private_key=SecretStr(private_key)))
    else:
        module = importlib.import_module(f"{KNOWN_SERVICES[component]}.app")
        app = module.create_app(module.SETTINGS_CLASS(jwt_public_key=SecretStr(public_key)))
    return {path for route in app.routes if (path := getattr(route, "path", None))}


def test_probes_ask_endpoints_each_app_really_serves() -> None:
    for name, deployment in by_kind(chart_objects(), "Deployment").items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        path = container["readinessProbe"]["httpGet"]["path"]
        assert path in app_paths(component_of(deployment)), name
        assert container["livenessProbe"]["tcpSocket"]["port"] == container["ports"][0]["name"]


def test_a_migrations_job_per_schema_runs_before_install_and_upgrade() -> None:
    jobs = by_kind(chart_objects(), "Job")
    assert sorted(jobs) == sorted(f"clinic-{name}-migrations" for name in PROCESSES)
    deployments = by_kind(chart_objects(), "Deployment")
    for name in PROCESSES:
        job = jobs[f"clinic-{name}-migrations"]
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        args = job["spec"]["template"]["spec"]["containers"][0]["args"]
        serve_args = deployments[f"clinic-{name}"]["spec"]["template"]["spec"]["containers"][0]["args"]
        assert args == ["migrate", *serve_args]
        app = importlib.import_module(f"{args[1]}.app")
        assert Path(app.MIGRATIONS, "versions").is_dir()


def test_the_migrations_jobs_of_services_that_store_credentials_get_the_secrets_key() -> None:
    jobs = by_kind(chart_objects(), "Job")
    for name in KNOWN_SERVICES:
        env = jobs[f"clinic-{name}-migrations"]["spec"]["template"]["spec"]["containers"][0]["env"]
        keys = [item["valueFrom"]["secretKeyRef"]["key"] for item in env if item["name"] == "CLINIC_SECRETS_KEY"]
        # The upgrade that encrypts credentials stored in clear needs the key; others never see it.
        assert keys == (["secrets-key"] if stores_secrets(name) else []), name


def test_deployments_run_with_migrations_off() -> None:
    config = by_kind(chart_objects(), "ConfigMap")["clinic-config"]["data"]
    assert config["CLINIC_RUN_MIGRATIONS"] == "false"
    assert GatewaySettings(run_migrations=config["CLINIC_RUN_MIGRATIONS"]).run_migrations is False


def pod_specs(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        f"{obj['kind']}/{obj['metadata']['name']}": obj["spec"]["template"]["spec"]
        for obj in objects
        if obj["kind"] in ("Deployment", "Job")
    }


def test_every_pod_runs_as_non_root_on_a_read_only_root_with_a_writable_tmp() -> None:
    for name, pod in pod_specs(chart_objects()).items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["enableServiceLinks"] is False, name  # no CLINIC_<SERVICE>_PORT=tcp://… injected
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name  # noqa: S108
            assert container["resources"]["requests"] and container["resources"]["limits"], name
        assert {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}} in pod["volumes"], name


def test_the_gateway_and_scheduling_autoscale_and_every_process_has_a_disruption_budget() -> None:
    objects = chart_objects()
    hpas = by_kind(objects, "HorizontalPodAutoscaler")
    assert sorted(hpas) == ["clinic-gateway", "clinic-scheduling"]
    for name, hpa in hpas.items():
        assert hpa["spec"]["scaleTargetRef"]["name"] == name
        assert "replicas" not in by_kind(objects, "Deployment")[name]["spec"]  # the HPA owns it
    assert sorted(by_kind(objects, "PodDisruptionBudget")) == sorted(by_kind(objects, "Deployment"))
