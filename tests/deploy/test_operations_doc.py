"""docs/operations.md documents every CLINIC_ variable the code reads, and only those."""

from __future__ import annotations

import re

from deploy_manifests import chart_objects, env_names_read_by, settings_class, workload_env
from operations_reference import DOC, PROCESSES, documented_reference, reference_markdown

# Named in the doc without being a setting: the image's record of its SERVICE build argument.
NOT_SETTINGS = {"CLINIC_IMAGE_SERVICE"}


def read_by_code() -> set[str]:
    return set().union(*(env_names_read_by(settings_class(process)) for process in PROCESSES))


def test_the_configuration_reference_is_the_one_the_settings_classes_generate() -> None:
    assert documented_reference() == reference_markdown(), (
        "regenerate with: .venv/bin/python tests/deploy/operations_reference.py"
    )


def test_every_clinic_variable_the_code_reads_is_documented() -> None:
    documented = set(re.findall(r"`(CLINIC_[A-Z0-9_]+)`", DOC.read_text()))
    assert read_by_code() - documented == set()


def test_every_documented_clinic_variable_is_read_by_the_code() -> None:
    mentioned = set(re.findall(r"\b(CLINIC_[A-Z0-9_]*[A-Z0-9])\b", DOC.read_text()))
    assert mentioned - read_by_code() - NOT_SETTINGS == set()


def test_every_variable_the_manifests_set_is_documented() -> None:
    text = DOC.read_text()
    names = set().union(*workload_env(chart_objects()).values())
    assert {name for name in names if f"`{name}`" not in text} == set()
