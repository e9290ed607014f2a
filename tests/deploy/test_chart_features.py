"""What the chart offers beyond the workloads: placement, a draining shutdown, a values schema,
NOTES.txt, env/annotation hooks, image digests, egress policies and the operators' Secrets."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from deploy_manifests import CHART, by_kind, chart_objects, env_problems, peers_called_by, validation_errors
from helm_render import render_chart

from clinic_shared.bus import RabbitMqBus
from clinic_shared.outbox import OutboxRelay
from clinic_shared.settings import ServiceSettings
from gateway.settings import KNOWN_SERVICES, GatewaySettings

PROCESSES = ["gateway", *KNOWN_SERVICES]
SCHEMA = json.loads((CHART / "values.schema.json").read_text())


def pod(objects: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return by_kind(objects, "Deployment")[f"clinic-{name}"]["spec"]["template"]["spec"]


def container(objects: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return pod(objects, name)["containers"][0]


# ---------------------------------------------------------------- placement


def test_every_deployment_spreads_over_zones_and_nodes_and_prefers_other_nodes() -> None:
    objects = chart_objects()
    for name in PROCESSES:
        spec = pod(objects, name)
        selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": "clinic"}
        spread = {(c["topologyKey"], c["whenUnsatisfiable"]) for c in spec["topologySpreadConstraints"]}
        assert spread == {
            ("topology.kubernetes.io/zone", "ScheduleAnyway"),
            ("kubernetes.io/hostname", "ScheduleAnyway"),
        }, name
        assert all(c["labelSelector"]["matchLabels"] == selector for c in spec["topologySpreadConstraints"])
        preferred = spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
        assert [(t["weight"], t["podAffinityTerm"]["topologyKey"]) for t in preferred] == [
            (100, "kubernetes.io/hostname"),
            (50, "topology.kubernetes.io/zone"),
        ], name
        assert all(t["podAffinityTerm"]["labelSelector"]["matchLabels"] == selector for t in preferred)


def test_placement_is_overridable_per_process() -> None:
    custom = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}
    objects = chart_objects(
        values={
            "placement": {"nodeSelector": {"pool": "clinic"}},
            "gateway": {"spread": "hard", "antiAffinity": "hard"},
            "services": {"lab": {"spread": "none", "antiAffinity": "none"}, "patients": {"affinity": custom}},
        }
    )
    gateway = pod(objects, "gateway")
    assert {c["whenUnsatisfiable"] for c in gateway["topologySpreadConstraints"]} == {"DoNotSchedule"}
    required = gateway["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert [term["topologyKey"] for term in required] == ["kubernetes.io/hostname"]
    lab = pod(objects, "lab")
    assert "affinity" not in lab and "topologySpreadConstraints" not in lab
    assert pod(objects, "patients")["affinity"] == custom
    assert all(pod(objects, name)["nodeSelector"] == {"pool": "clinic"} for name in PROCESSES)
    assert validation_errors(by_kind(objects, "Deployment").values()) == []


# ---------------------------------------------------------------- shutdown


def request_bound(component: str) -> float:
    """How long a request in flight may still run when SIGTERM comes: the gateway waits for a
    proxied call (proxy timeout), a service for a call to a peer (its HTTP timeout)."""
    if component == "gateway":
        return float(GatewaySettings.model_fields["proxy_timeout_seconds"].default)
    return float(ServiceSettings.model_fields["http_timeout_seconds"].default)


def test_pods_sleep_before_sigterm_and_get_time_for_their_own_drain() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    sleep = values["shutdown"]["preStopSleepSeconds"]
    drain = inspect.signature(RabbitMqBus).parameters["drain_seconds"].default
    relay_stop = inspect.signature(OutboxRelay.stop).parameters["timeout"].default
    objects = chart_objects()
    for name in PROCESSES:
        assert container(objects, name)["lifecycle"]["preStop"] == {"exec": {"command": ["sleep", str(sleep)]}}
        # The sleep while endpoints are removed, the requests in flight, the consumers' drain, the relay's last pass.
        needed = sleep + request_bound(name) + drain + relay_stop
        assert pod(objects, name)["terminationGracePeriodSeconds"] >= needed, name
    assert sleep >= 5  # endpoint removal reaches kube-proxy and the ingress controller in seconds, not at once


# ---------------------------------------------------------------- values.schema.json


def schema_errors(values: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(values)]


def merged(override: dict[str, Any]) -> dict[str, Any]:
    def merge(base: Any, extra: Any) -> Any:
        if isinstance(base, dict) and isinstance(extra, dict):
            return {**base, **{k: merge(base.get(k), v) for k, v in extra.items()}}
        return extra

    return merge(yaml.safe_load((CHART / "values.yaml").read_text()), override)


OVERRIDES = {
    "defaults": {},
    "digest and hooks": {
        "image": {"digest": "sha256:" + "a" * 64},
        "extraEnv": [{"name": "OTEL_SERVICE_NAMESPACE", "value": "clinic"}],
        "extraEnvFrom": [{"secretRef": {"name": "extra"}}],
        "podAnnotations": {"example.org/team": "clinic"},
        "services": {"lab": {"serviceAnnotations": {"a": "b"}, "spread": "hard", "terminationGracePeriodSeconds": 120}},
    },
    "operators and a closed egress": {
        "postgresql": {"fromSecret": "clinic-db-app", "host": "clinic-db-rw", "database": "app"},
        "rabbitmq": {"fromSecret": "clinic-mq-default-user", "host": "clinic-mq"},
        "networkPolicy": {"egress": {"postgresql": {"podLabels": {"cnpg.io/cluster": "clinic-db"}, "cidrs": []}}},
        "services": {"ondoc": {"outside": [{"cidr": "203.0.113.7/32", "ports": [443]}]}},
    },
    "small": {"ingress": {"enabled": False}, "networkPolicy": {"enabled": False}, "placement": {"spread": "none"}},
    "monitoring": {
        "monitoring": {
            "labels": {"release": "kube-prometheus-stack"},
            "serviceMonitor": {"enabled": True, "interval": "15s"},
            "prometheusRule": {"enabled": True},
            "dashboards": {"enabled": True, "annotations": {"grafana_folder": "Clinic"}},
        }
    },
}


def test_the_schema_is_draft_07_and_accepts_values_yaml_and_the_override_sets() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    for name, override in OVERRIDES.items():
        assert schema_errors(merged(override)) == [], name


def test_the_schema_covers_every_top_level_value_and_knows_the_services() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert set(SCHEMA["required"]) == set(values)
    assert sorted(SCHEMA["properties"]["services"]["propertyNames"]["enum"]) == sorted(KNOWN_SERVICES)


@pytest.mark.parametrize(
    ("override", "where"),
    [
        ({"imag": {"tag": "1"}}, "imag"),
        ({"ingress": {"hots": "x.example.org"}}, "hots"),
        ({"services": {"patient": {"package": "patients"}}}, "patient"),
        ({"services": {"lab": {"replica": 2}}}, "replica"),
        ({"services": {"lab": {"env": {"LAB_X": "1"}}}}, "LAB_X"),
        ({"placement": {"spread": "sometimes"}}, "sometimes"),
        ({"image": {"digest": "sha256:short"}}, "sha256:short"),
        ({"gateway": {"autoscaling": {"enabled": True, "minReplicas": None}}}, "minReplicas"),
        ({"monitoring": {"serviceMonitor": {"interval": "30 seconds"}}}, "30 seconds"),
    ],
)
def test_the_schema_refuses_a_typo_or_a_wrong_value(override: dict[str, Any], where: str) -> None:
    errors = schema_errors(merged(override))
    assert errors and any(where in error for error in errors), errors


# What the override sets change (the defaults' objects are validated in test_manifests_valid.py;
# the monitoring objects are custom resources, checked with their own tests).
CHANGED_KINDS = ("Deployment", "Service", "NetworkPolicy", "Job")


def test_every_override_set_renders_valid_kubernetes() -> None:
    for name, override in OVERRIDES.items():
        if name in ("defaults", "monitoring"):
            continue
        objects = [obj for obj in chart_objects(values=override) if obj["kind"] in CHANGED_KINDS]
        assert validation_errors(objects) == [], name


# ---------------------------------------------------------------- NOTES.txt


def notes(**values: Any) -> str:
    return render_chart(CHART, namespace="clinic", values=values, notes=True)["clinic/templates/NOTES.txt"]


def test_notes_say_how_to_reach_the_gateway_sign_in_and_check_health() -> None:
    text = notes()
    assert "http://clinic.example.org/" in text
    assert "kubectl -n clinic get secret clinic-secrets -o jsonpath='{.data.admin-password}' | base64 -d" in text
    assert "/api/health" in text and "registry.example.org/clinic/platform:0.1.0" in text
    for name in PROCESSES:
        assert f"clinic-{name}" in text
    private = notes(ingress={"enabled": False}, postgresql={"fromSecret": "clinic-db-app", "host": "db"})
    assert "kubectl -n clinic port-forward svc/clinic-gateway 8080:80" in private
    assert "clinic-db-app" in private and "http://clinic.example.org/" not in private
    assert "https://clinic.example.org/" in notes(ingress={"tls": {"enabled": True}})


# ---------------------------------------------------------------- hooks and the image


def test_extra_env_annotations_and_labels_reach_every_pod_with_per_process_additions() -> None:
    objects = chart_objects(values=OVERRIDES["digest and hooks"] | {"podLabels": {"app.kubernetes.io/name": "x"}})
    for name in PROCESSES:
        spec = container(objects, name)
        assert {"name": "OTEL_SERVICE_NAMESPACE", "value": "clinic"} in spec["env"], name
        assert {"secretRef": {"name": "extra"}} in spec["envFrom"], name
        assert spec["image"] == "registry.example.org/clinic/platform@sha256:" + "a" * 64
        metadata = by_kind(objects, "Deployment")[f"clinic-{name}"]["spec"]["template"]["metadata"]
        assert metadata["annotations"]["example.org/team"] == "clinic"
        assert "checksum/config" in metadata["annotations"]
        assert metadata["labels"]["app.kubernetes.io/name"] == name  # the chart's own labels win
    services = by_kind(objects, "Service")
    assert services["clinic-lab"]["metadata"]["annotations"] == {"a": "b"}
    assert "annotations" not in services["clinic-patients"]["metadata"]
    assert pod(objects, "lab")["terminationGracePeriodSeconds"] == 120


def test_the_tag_is_used_without_a_digest() -> None:
    image = container(chart_objects(values={"image": {"tag": "1.2.3"}}), "gateway")["image"]
    assert image == "registry.example.org/clinic/platform:1.2.3"


# ---------------------------------------------------------------- egress


def egress_of(objects: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return by_kind(objects, "NetworkPolicy")[f"clinic-{name}-egress"]["spec"]["egress"]


def rule_ports(rule: dict[str, Any]) -> set[tuple[int, str]]:
    return {(p["port"], p["protocol"]) for p in rule["ports"]}


def test_each_process_may_reach_only_dns_the_database_the_broker_its_peers_and_its_outside_hosts() -> None:
    objects = chart_objects(values=OVERRIDES["operators and a closed egress"])
    values = merged(OVERRIDES["operators and a closed egress"])
    for name in PROCESSES:
        rules = egress_of(objects, name)
        assert rule_ports(rules[0]) == {(53, "UDP"), (53, "TCP")}
        assert rules[0]["to"][0]["podSelector"]["matchLabels"] == {"k8s-app": "kube-dns"}
        assert rules[1] == {
            "ports": [{"port": 5432, "protocol": "TCP"}],
            "to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "clinic-db"}}}],
        }
        assert rules[2] == {"ports": [{"port": 5672, "protocol": "TCP"}]}  # no target given: any address
        peers = {
            to["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
            for rule in rules[3:]
            for to in rule.get("to", [])
            if "podSelector" in to
        }
        assert peers == (set(KNOWN_SERVICES) if name == "gateway" else peers_called_by(name)), name
        spec = values["gateway"] if name == "gateway" else values["services"][name]
        outside = [
            {"cidr": to["ipBlock"]["cidr"], "ports": sorted(port for port, _ in rule_ports(rule))}
            for rule in rules[3:]
            for to in rule["to"]
            if "ipBlock" in to
        ]
        assert outside == [{"cidr": h["cidr"], "ports": sorted(h["ports"])} for h in spec.get("outside", [])], name
    assert egress_of(objects, "ondoc")[-1]["to"] == [{"ipBlock": {"cidr": "203.0.113.7/32"}}]
    # The migrations Jobs: DNS and PostgreSQL only.
    migrations = by_kind(objects, "NetworkPolicy")["clinic-migrations-egress"]["spec"]
    assert migrations["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "migrations"
    assert [rule_ports(rule) for rule in migrations["egress"]] == [{(53, "UDP"), (53, "TCP")}, {(5432, "TCP")}]
    for job in by_kind(objects, "Job").values():
        assert job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "migrations"


def test_the_default_outside_hosts_are_public_addresses_on_the_services_ports_only() -> None:
    objects = chart_objects()
    for name, ports in (("ondoc", {443}), ("notifier", {443, 25, 465, 587}), ("lab", {443})):
        outside = [rule for rule in egress_of(objects, name) if any("ipBlock" in to for to in rule.get("to", []))]
        assert len(outside) == 1, name
        block = outside[0]["to"][0]["ipBlock"]
        assert block["cidr"] == "0.0.0.0/0" and "10.0.0.0/8" in block["except"], name
        assert {port for port, _ in rule_ports(outside[0])} == ports, name
    for name in ("gateway", "patients", "scheduling", "profexam"):
        assert not [rule for rule in egress_of(objects, name) if "ipBlock" in json.dumps(rule)], name


def test_egress_can_be_left_open() -> None:
    objects = chart_objects(values={"networkPolicy": {"egress": {"enabled": False}}})
    policies = by_kind(objects, "NetworkPolicy")
    assert not [name for name in policies if name.endswith("-egress")]
    assert policies["clinic-default-deny"]["spec"]["policyTypes"] == ["Ingress"]


# ---------------------------------------------------------------- PostgreSQL and RabbitMQ operators


def test_urls_can_be_built_from_the_operators_secrets() -> None:
    objects = chart_objects(values=OVERRIDES["operators and a closed egress"])
    assert env_problems(objects) == []
    env = {item["name"]: item for item in container(objects, "scheduling")["env"]}
    assert env["DB_USER"]["valueFrom"]["secretKeyRef"] == {"name": "clinic-db-app", "key": "username"}
    assert env["CLINIC_DATABASE_URL"]["value"] == "postgresql+asyncpg://$(DB_USER):$(DB_PASSWORD)@clinic-db-rw:5432/app"
    assert env["AMQP_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "clinic-mq-default-user", "key": "password"}
    assert env["CLINIC_AMQP_URL"]["value"] == "amqp://$(AMQP_USER):$(AMQP_PASSWORD)@clinic-mq:5672/"
    # Kubernetes expands $(VAR) only from variables defined before it.
    names = list(env)
    assert names.index("DB_PASSWORD") < names.index("CLINIC_DATABASE_URL")
    assert names.index("AMQP_PASSWORD") < names.index("CLINIC_AMQP_URL")
    job = by_kind(objects, "Job")["clinic-scheduling-migrations"]["spec"]["template"]["spec"]["containers"][0]
    assert {item["name"]: item.get("value") for item in job["env"]}["CLINIC_DATABASE_URL"].endswith(
        "@clinic-db-rw:5432/app"
    )


def test_an_operator_secret_without_its_host_fails_the_render() -> None:
    from helm_render import TemplateError

    with pytest.raises(TemplateError, match=r"postgresql\.host is required"):
        chart_objects(values={"postgresql": {"fromSecret": "clinic-db-app"}})


def test_the_readme_points_at_the_operators() -> None:
    readme = (Path(CHART).parent / "README.md").read_text()
    for operator in ("CloudNativePG", "Zalando", "RabbitMQ Cluster Operator"):
        assert operator in readme
