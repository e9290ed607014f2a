"""The test renderer renders the Helm template subset the chart uses, and refuses the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helm_render import TemplateError, render_chart


def render(tmp_path: Path, template: str, values: str = "{}") -> str:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: '2.0'\n")
    (chart / "values.yaml").write_text(values)
    (chart / "templates" / "t.yaml").write_text(template)
    return render_chart(chart, release="rel")["demo/templates/t.yaml"]


def test_values_release_and_chart_fields_are_substituted(tmp_path: Path) -> None:
    out = render(
        tmp_path, "name: {{ .Release.Name }}-{{ .Values.a.b }}\nv: {{ .Chart.AppVersion | quote }}\n", "a: {b: x}"
    )
    assert yaml.safe_load(out) == {"name": "rel-x", "v": "2.0"}


def test_trim_markers_remove_the_whitespace_next_to_them(tmp_path: Path) -> None:
    assert render(tmp_path, "a:\n  {{- if true }}\n  b: 1\n  {{- end }}\n") == "a:\n  b: 1\n"


def test_range_over_a_map_walks_keys_in_sorted_order(tmp_path: Path) -> None:
    out = render(tmp_path, "{{- range $k, $v := .Values.m }}\n{{ $k }}: {{ $v }}{{ end }}", "m: {b: 2, a: 1}")
    assert out == "\na: 1\nb: 2"


def test_else_if_picks_the_first_true_branch(tmp_path: Path) -> None:
    template = "{{ if eq .Values.x 1 }}one{{ else if eq .Values.x 2 }}two{{ else }}many{{ end }}"
    assert render(tmp_path, template, "x: 2") == "two"


def test_include_with_nindent_indents_a_named_template(tmp_path: Path) -> None:
    template = '{{- define "l" -}}\na: {{ .n }}\nb: 2\n{{- end }}\nx:\n  {{- include "l" (dict "n" 1) | nindent 2 }}\n'
    assert yaml.safe_load(render(tmp_path, template)) == {"x": {"a": 1, "b": 2}}


def test_to_yaml_default_and_quote_behave_like_helm(tmp_path: Path) -> None:
    template = 'r:\n  {{- toYaml .Values.r | nindent 2 }}\nt: {{ .Values.missing | default "d" | quote }}\n'
    assert yaml.safe_load(render(tmp_path, template, "r: {b: 1, a: [x]}")) == {"r": {"a": ["x"], "b": 1}, "t": "d"}


def test_a_function_outside_the_subset_is_an_error_not_silence(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="lookup"):
        render(tmp_path, '{{ lookup "v1" "Secret" "ns" "name" }}')


def test_required_fails_the_render_when_the_value_is_empty(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="host is required"):
        render(tmp_path, '{{ required "host is required" .Values.host }}')


def test_index_reads_a_key_or_gives_nil_and_from_yaml_reads_a_map(tmp_path: Path) -> None:
    template = (
        '{{- define "m" -}}\na: 1\n{{- end }}\n'
        'x: {{ index .Values.m "k" }}\ny: {{ index .Values.m "missing" | default "none" }}\n'
        '{{- $m := include "m" . | fromYaml }}\nz: {{ $m.a }}\n'
    )
    assert yaml.safe_load(render(tmp_path, template, "m: {k: v}")) == {"x": "v", "y": "none", "z": 1}
