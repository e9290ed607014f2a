"""Schema names are plain lower-case identifiers, refused at start otherwise (PostgreSQL folds case)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clinic_shared.settings import ServiceSettings


@pytest.mark.parametrize("prefix", ["Bench_", "t-1_", "1t_", "t 1_", 'x";drop'])
def test_a_prefix_that_is_no_lower_case_identifier_is_refused_naming_the_setting(prefix: str) -> None:
    with pytest.raises(ValidationError, match="db_schema_prefix"):
        ServiceSettings(service_name="patients", db_schema_prefix=prefix)


@pytest.mark.parametrize("prefix", ["", "t0a1b2_", "bench_"])
def test_a_lower_case_prefix_is_prepended_to_the_service_name(prefix: str) -> None:
    assert ServiceSettings(service_name="patients", db_schema_prefix=prefix).schema_name == f"{prefix}patients"


def test_a_schema_with_capitals_is_refused() -> None:
    with pytest.raises(ValidationError, match="db_schema"):
        ServiceSettings(service_name="patients", db_schema="Patients")
