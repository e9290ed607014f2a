"""The kustomize base is the Helm chart rendered with its default values, written as plain YAML.

One source of truth: the chart. `deploy/k8s/kustomize/base/` is generated from it, so plain
kubectl users get the same objects as Helm users; `test_kustomize_base_is_the_rendered_chart`
fails when someone edits one without the other. Regenerate after changing the chart:

    .venv/bin/python tests/deploy/kustomize_base.py

What differs from the chart, and why:
- Helm's own labels and hook annotations are dropped (kustomize applies the Jobs as plain Jobs;
  see deploy/k8s/README.md for the order of `kubectl apply`).
- The shared ConfigMap becomes a `configMapGenerator` (overlays merge into it, and its hashed
  name rolls the pods on a change), so the chart's `checksum/config` annotation is dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml
from helm_render import render_chart

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "k8s" / "chart"
BASE = REPO / "deploy" / "k8s" / "kustomize" / "base"
HEADER = (
    "# Generated from deploy/k8s/chart by `.venv/bin/python tests/deploy/kustomize_base.py`.\n"
    "# Do not edit: change the chart and regenerate (tests/deploy fails while they differ).\n"
)
HELM_ONLY_LABELS = ("app.kubernetes.io/managed-by", "helm.sh/chart")
HELM_ONLY_ANNOTATIONS = ("helm.sh/hook", "helm.sh/hook-weight", "helm.sh/hook-delete-policy", "checksum/config")


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as kubectl users write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _strip(meta: dict[str, Any]) -> None:
    for label in HELM_ONLY_LABELS:
        meta.get("labels", {}).pop(label, None)
    annotations = meta.get("annotations")
    if annotations is not None:
        for annotation in HELM_ONLY_ANNOTATIONS:
            annotations.pop(annotation, None)
        if not annotations:
            del meta["annotations"]


def _plain(obj: dict[str, Any]) -> dict[str, Any]:
    _strip(obj["metadata"])
    template = obj.get("spec", {}).get("template", {})
    if "metadata" in template:
        _strip(template["metadata"])
    return obj


def _dump(objects: list[dict[str, Any]]) -> str:
    return HEADER + "".join(
        "---\n" + yaml.dump(obj, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True)
        for obj in objects
    )


def base_files() -> dict[str, str]:
    """{file name: content} of the kustomize base, from the chart."""
    files: dict[str, str] = {}
    resources: list[str] = []
    generators: list[dict[str, Any]] = []
    for template, text in render_chart(CHART).items():
        objects = [doc for doc in yaml.safe_load_all(text) if doc]
        plain: list[dict[str, Any]] = []
        for obj in objects:
            if obj["kind"] == "ConfigMap":
                _strip(obj["metadata"])
                generators.append(
                    {
                        "name": obj["metadata"]["name"],
                        "options": {"labels": obj["metadata"]["labels"]},
                        "literals": [f"{key}={value}" for key, value in obj["data"].items()],
                    }
                )
            else:
                plain.append(_plain(obj))
        if plain:
            name = Path(template).name
            files[name] = _dump(plain)
            resources.append(name)
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
        "configMapGenerator": generators,
    }
    files["kustomization.yaml"] = HEADER + yaml.dump(kustomization, Dumper=_Dumper, sort_keys=False)
    return files


def stale_files() -> list[str]:
    """Files of the base that differ from what the chart generates (or are missing or extra)."""
    expected = base_files()
    present = {path.name for path in BASE.glob("*.yaml")}
    stale = [name for name, text in expected.items() if not (BASE / name).exists() or (BASE / name).read_text() != text]
    return sorted(stale + [name for name in present - set(expected)])


def main() -> None:
    parser = argparse.ArgumentParser(description="Write deploy/k8s/kustomize/base from the Helm chart.")
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    args = parser.parse_args()
    if args.check:
        stale = stale_files()
        print("\n".join(stale) or "up to date")
        sys.exit(1 if stale else 0)
    BASE.mkdir(parents=True, exist_ok=True)
    expected = base_files()
    for path in BASE.glob("*.yaml"):
        if path.name not in expected:
            path.unlink()
    for name, text in expected.items():
        (BASE / name).write_text(text)
    print(f"wrote {len(expected)} files to {BASE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
