"""The manifests are valid Kubernetes: yamllint, kubectl kustomize, kubernetes-validate, and a
deliberately broken copy is caught. Offline and fast; runs in `make test`."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from deploy_manifests import (
    CHART,
    DEPLOY,
    K8S_VERSIONS,
    KUSTOMIZE,
    OVERLAYS,
    by_kind,
    chart_objects,
    kubectl,
    kustomize_objects,
    validation_errors,
)
from kustomize_base import stale_files
from yamllint import linter
from yamllint.config import YamlLintConfig

needs_kubectl = pytest.mark.skipif(kubectl() is None, reason="kubectl is not installed")


def test_yamllint_finds_nothing_in_deploy() -> None:
    config = YamlLintConfig(file=str(DEPLOY / ".yamllint"))
    problems = [
        f"{path.relative_to(DEPLOY)}:{problem.line}: {problem.desc}"
        for path in [*sorted(DEPLOY.rglob("*.yaml")), DEPLOY / ".yamllint"]
        if not config.is_file_ignored(str(path.relative_to(DEPLOY)))
        for problem in linter.run(path.read_text(), config, str(path))
    ]
    assert problems == []


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_the_rendered_chart_is_valid_kubernetes(version: str) -> None:
    objects = chart_objects()
    assert len(objects) > 30
    assert validation_errors(objects, version) == []


def test_the_chart_without_optional_parts_is_still_valid() -> None:
    objects = chart_objects(
        values={
            "ingress": {"enabled": False},
            "networkPolicy": {"enabled": False},
            "migrations": {"enabled": False},
            "gateway": {"autoscaling": {"enabled": False}},
            "imagePullSecrets": [{"name": "registry"}],
        }
    )
    assert validation_errors(objects) == []
    assert not by_kind(objects, "Ingress") and not by_kind(objects, "NetworkPolicy") and not by_kind(objects, "Job")
    assert by_kind(objects, "Deployment")["clinic-gateway"]["spec"]["replicas"] == 2


@needs_kubectl
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_kustomize_overlay_renders_valid_kubernetes(overlay: str) -> None:
    objects = kustomize_objects(KUSTOMIZE / "overlays" / overlay)
    assert by_kind(objects, "Deployment")
    assert validation_errors(objects) == []


def test_the_kustomize_base_is_the_rendered_chart() -> None:
    assert stale_files() == [], "regenerate with: .venv/bin/python tests/deploy/kustomize_base.py"


def a_deployment() -> dict:
    return copy.deepcopy(by_kind(chart_objects(), "Deployment")["clinic-patients"])


def test_validation_rejects_a_deployment_without_a_selector() -> None:
    broken = a_deployment()
    del broken["spec"]["selector"]
    assert any("selector" in error for error in validation_errors([broken]))


def test_validation_rejects_a_container_port_given_as_text() -> None:
    broken = a_deployment()
    broken["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "eighty"
    assert any("containerPort" in error for error in validation_errors([broken]))


def test_validation_rejects_a_misspelled_field() -> None:
    broken = a_deployment()
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    assert any("readinesProbe" in error for error in validation_errors([broken]))


def test_a_broken_copy_of_the_chart_fails_validation(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(CHART, chart)
    template = chart / "templates" / "deployments.yaml"
    text = template.read_text()
    assert "  selector:\n    matchLabels:" in text
    template.write_text(text.replace("  selector:\n    matchLabels:", "  selectr:\n    matchLabels:", 1))
    errors = validation_errors(chart_objects(chart_dir=chart))
    assert any("selector" in error for error in errors)


@needs_kubectl
def test_a_broken_copy_of_an_overlay_fails_validation(tmp_path: Path) -> None:
    shutil.copytree(KUSTOMIZE, tmp_path / "kustomize")
    overlay = tmp_path / "kustomize" / "overlays" / "dev" / "kustomization.yaml"
    config = yaml.safe_load(overlay.read_text())
    config["patches"].append(
        {
            "target": {"kind": "Service", "name": "clinic-patients"},
            "patch": "- op: replace\n  path: /spec/ports/0/port\n  value: eighty\n",
        }
    )
    overlay.write_text(yaml.safe_dump(config))
    errors = validation_errors(kustomize_objects(overlay.parent))
    assert any("Service/clinic-patients" in error and "port" in error for error in errors)


@pytest.mark.skipif(shutil.which("helm") is None, reason="helm is not installed")
def test_helm_template_renders_what_the_test_renderer_renders() -> None:
    result = subprocess.run(
        ["helm", "template", "clinic", str(CHART)], capture_output=True, text=True, timeout=120, check=True
    )
    by_helm = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    key = lambda obj: (obj["kind"], obj["metadata"]["name"])  # noqa: E731
    assert sorted(by_helm, key=key) == sorted(chart_objects(), key=key)
