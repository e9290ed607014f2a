"""The chart's monitoring objects: a ServiceMonitor that scrapes every process, a PrometheusRule
made from `files/alerts.yaml` (which the docs' alert table is generated from) and a Grafana
dashboard. Their PromQL is parsed (promql-parser, a port of Prometheus's own parser) and may
name only metrics, labels and route templates the code has. The operator's kinds are CRDs,
which kubernetes-validate has no schemas for: their structure is checked here."""

from __future__ import annotations

import importlib
import json
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from alerts_table import ALERTS, documented_table, table_markdown
from deploy_manifests import CHART, by_kind, chart_objects, validation_errors
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from helm_render import TemplateError, render_chart
from pydantic import SecretStr

from clinic_shared.auth import generate_keypair
from clinic_shared.metrics import ServiceGauges
from clinic_shared.middleware import UNMATCHED, HttpMetrics
from gateway.settings import KNOWN_SERVICES, GatewaySettings

DASHBOARD = CHART / "files" / "dashboards" / "clinic.json"
ENABLED = {
    "monitoring": {
        "labels": {"release": "kube-prometheus-stack"},
        "serviceMonitor": {"enabled": True},
        "prometheusRule": {"enabled": True},
        "dashboards": {"enabled": True},
    }
}
# Labels Prometheus adds to every series of a ServiceMonitor's targets (`service` is the series'
# own: honorLabels).
TARGET_LABELS = {"namespace", "pod", "job", "instance", "container", "endpoint"}
# Grafana's variables, as a query sees them once substituted.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$namespace": ".*"}
DURATION = re.compile(r"^\d+[smhd]$")


# ---------------------------------------------------------------- what the code has


def service_apps() -> dict[str, FastAPI]:
    return _service_apps()


@cache
def _service_apps() -> dict[str, FastAPI]:
    return {name: importlib.import_module(f"{package}.app").create_app() for name, package in KNOWN_SERVICES.items()}


@cache
def exported() -> dict[str, frozenset[str]]:
    """{series name: its label names} of every metric the gateway and the services export."""
    registries = [HttpMetrics("gateway", upstream=True).registry]
    for name, app in service_apps().items():
        metrics = HttpMetrics(name)
        ServiceGauges(name, metrics.registry, app.state.spec.metrics)
        registries.append(metrics.registry)
    series: dict[str, set[str]] = {}
    for registry in registries:
        # Each collector's series names (`_total`, `_bucket`, …) and label names: prometheus_client
        # keeps both only privately, and a family without samples yet shows neither.
        for collector, names in registry._collector_to_names.items():
            for name in names:
                extra = {"le"} if name.endswith("_bucket") else set()
                series.setdefault(name, set()).update(collector._labelnames, extra)  # type: ignore[attr-defined]
    return {name: frozenset(labels) for name, labels in series.items()}


@cache
def route_templates() -> dict[str, frozenset[str]]:
    """{service: the route templates its request metrics label}; the gateway's are its own routes
    and every service's (it labels a proxied call with the service's template)."""
    templates = {
        name: frozenset(route.path for route in iter_route_contexts(app.routes) if route.path)
        for name, app in service_apps().items()
    }
    from gateway.app import create_app

    with tempfile.TemporaryDirectory() as data_dir:
        settings = GatewaySettings(data_dir=Path(data_dir), jwt_private_key=SecretStr(generate_keypair()[0]))
        gateway = create_app(settings)
    own = {route.path for route in iter_route_contexts(gateway.routes) if route.path}
    templates["gateway"] = frozenset(own.union(*templates.values()))
    return {name: paths | {UNMATCHED} for name, paths in templates.items()}


# ---------------------------------------------------------------- reading PromQL


def selectors(expr: str) -> list[Any]:
    """The vector selectors of an expression (it must parse)."""
    found: list[Any] = []
    promql_parser.walk(
        promql_parser.parse(expr),
        pre_visit=lambda node: found.append(node) if isinstance(node, promql_parser.VectorSelector) else None,
    )
    return found


def grouping_labels(expr: str) -> set[str]:
    labels: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.AggregateExpr) and node.modifier is not None:
            labels.update(node.modifier.labels)

    promql_parser.walk(promql_parser.parse(expr), pre_visit=visit)
    return labels


def matchers(selector: Any) -> list[Any]:
    return list(selector.matchers.matchers)


def problems_of(expr: str) -> list[str]:
    """Metric names the code does not export, labels they do not carry, route values no route has."""
    problems: list[str] = []
    series = exported()
    known_labels = set().union(*series.values()) | TARGET_LABELS
    for selector in selectors(expr):
        if selector.name not in series:
            problems.append(f"{selector.name}: no such metric")
            continue
        service = next(
            (m.value for m in matchers(selector) if m.name == "service" and m.op == promql_parser.MatchOp.Equal), None
        )
        for matcher in matchers(selector):
            if matcher.name not in series[selector.name] | TARGET_LABELS:
                problems.append(f"{selector.name}: no label {matcher.name}")
            if matcher.name == "route":
                templates = route_templates().get(service) if service else set().union(*route_templates().values())
                alternatives = (
                    [matcher.value] if matcher.op == promql_parser.MatchOp.Equal else matcher.value.split("|")
                )
                for alternative in alternatives:
                    pattern = re.escape(alternative) if matcher.op == promql_parser.MatchOp.Equal else alternative
                    if not any(re.fullmatch(pattern, template) for template in templates or ()):
                        problems.append(f"{selector.name}: no route of {service or 'any process'} is {alternative}")
    problems += [f"grouping by unknown label {label}" for label in grouping_labels(expr) - known_labels]
    return problems


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def panel_queries() -> list[tuple[str, str]]:
    queries = []
    for panel in dashboard()["panels"]:
        for target in panel["targets"]:
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            queries.append((panel["title"], expr))
    return queries


def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


# ---------------------------------------------------------------- the checks


def test_the_docs_alert_table_is_the_one_the_alerts_file_makes() -> None:
    assert documented_table() == table_markdown(), "regenerate with: .venv/bin/python tests/deploy/alerts_table.py"


def test_every_alert_has_an_expression_a_duration_a_severity_and_its_words() -> None:
    rules = alert_rules()
    assert len(rules) >= 8
    assert len({rule["alert"] for rule in rules}) == len(rules)
    for rule in rules:
        assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert DURATION.match(rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        assert rule["annotations"]["summary"].strip() and rule["annotations"]["description"].strip(), rule["alert"]


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: rule["alert"])
def test_each_alert_parses_and_names_only_what_the_code_exports(rule: dict[str, Any]) -> None:
    assert problems_of(rule["expr"]) == []


@pytest.mark.parametrize(("title", "expr"), panel_queries(), ids=lambda value: value[:40])
def test_each_dashboard_query_parses_and_names_only_what_the_code_exports(title: str, expr: str) -> None:
    assert problems_of(expr) == [], title


def test_the_checks_catch_a_misspelt_metric_label_or_route() -> None:
    assert problems_of('sum by (service) (rate(http_request_total{service="gateway"}[5m]))') == [
        "http_request_total: no such metric"
    ]
    assert problems_of('outbox_backlog{queue="main"}') == ["outbox_backlog: no label queue"]
    assert problems_of('http_requests_total{service="scheduling", route="/appointment/{appointment_id}"}') == [
        "http_requests_total: no route of scheduling is /appointment/{appointment_id}"
    ]
    assert problems_of("sum by (tenant) (outbox_backlog)") == ["grouping by unknown label tenant"]
    with pytest.raises(ValueError):
        selectors("sum(rate(outbox_backlog[5m])")


def test_the_bookings_panel_counts_the_201_answers_of_schedulings_booking_routes() -> None:
    (target,) = next(p for p in dashboard()["panels"] if p["title"] == "Bookings per hour")["targets"]
    (selector,) = selectors(target["expr"].replace("$__rate_interval", "5m"))
    labels = {m.name: m.value for m in matchers(selector)}
    assert labels["service"] == "scheduling" and labels["method"] == "POST" and labels["status"] == "201"
    booking = {
        route.path
        for route in iter_route_contexts(service_apps()["scheduling"].routes)
        if "POST" in (route.methods or ()) and getattr(route.original_route, "status_code", None) == 201
    }
    for alternative in labels["route"].split("|"):
        assert any(re.fullmatch(alternative, path) for path in booking), alternative


def test_the_dashboard_is_a_grafana_dashboard_over_the_chosen_prometheus() -> None:
    board = dashboard()
    assert board["uid"] and board["title"] and board["schemaVersion"] >= 36
    variables = {variable["name"]: variable for variable in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    metric = re.fullmatch(r"label_values\((\w+), namespace\)", variables["namespace"]["definition"])
    assert metric is not None and metric.group(1) in exported()
    panels = board["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    for panel in panels:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"] and all(target["expr"] for target in panel["targets"]), panel["title"]
    figures = " ".join(query for _, query in panel_queries())
    for metric_name in (
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "outbox_backlog",
        "consumer_queue_messages",
        "outbound_queue_depth",
    ):
        assert metric_name in figures


def test_the_monitoring_objects_are_off_by_default() -> None:
    objects = chart_objects()
    assert not [obj for obj in objects if obj["apiVersion"].startswith("monitoring.coreos.com/")]
    assert "clinic-dashboards" not in by_kind(objects, "ConfigMap")


def test_the_service_monitor_scrapes_every_process_of_the_release() -> None:
    objects = chart_objects(values=ENABLED, namespace="clinic")
    (monitor,) = by_kind(objects, "ServiceMonitor").values()
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    spec = monitor["spec"]
    assert spec["namespaceSelector"] == {"matchNames": ["clinic"]}
    wanted = spec["selector"]["matchLabels"]
    selected = [
        service
        for service in by_kind(objects, "Service").values()
        if wanted.items() <= service["metadata"]["labels"].items()
    ]
    deployments = by_kind(objects, "Deployment")
    assert sorted(s["metadata"]["name"] for s in selected) == sorted(deployments)
    (endpoint,) = spec["endpoints"]
    assert endpoint["path"] == "/metrics" and endpoint["honorLabels"] is True
    assert DURATION.match(endpoint["interval"]) and DURATION.match(endpoint["scrapeTimeout"])
    for service in selected:
        (port,) = [p for p in service["spec"]["ports"] if p["name"] == endpoint["port"]]
        container = deployments[service["metadata"]["name"]]["spec"]["template"]["spec"]["containers"][0]
        assert any(p["name"] == port["targetPort"] and p["containerPort"] == 8080 for p in container["ports"])


def test_the_prometheus_rule_is_the_alerts_file() -> None:
    objects = chart_objects(values=ENABLED)
    (rule,) = by_kind(objects, "PrometheusRule").values()
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["spec"] == yaml.safe_load(ALERTS.read_text())


def test_the_dashboard_ships_in_a_configmap_for_the_grafana_sidecar() -> None:
    objects = chart_objects(values=ENABLED)
    configmap = by_kind(objects, "ConfigMap")["clinic-dashboards"]
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert json.loads(configmap["data"]["clinic.json"]) == dashboard()
    assert validation_errors([configmap]) == []


def test_files_get_reads_a_file_of_the_chart_and_refuses_a_missing_one(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "files").mkdir()
    (chart / "files" / "a.txt").write_text("x: 1\ny: 2\n")
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("{}")
    (chart / "templates" / "t.yaml").write_text('top:\n  {{- .Files.Get "files/a.txt" | nindent 2 }}\n')
    assert yaml.safe_load(render_chart(chart)["demo/templates/t.yaml"]) == {"top": {"x": 1, "y": 2}}
    (chart / "templates" / "t.yaml").write_text('{{ .Files.Get "files/b.txt" }}')
    with pytest.raises(TemplateError, match=r"files/b\.txt"):
        render_chart(chart)
