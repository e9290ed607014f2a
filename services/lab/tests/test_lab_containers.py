"""Tube names in Russian (labels, orders): well-known codes translated, anything else kept."""

from __future__ import annotations

import pytest

from lab.containers import container_name


@pytest.mark.parametrize(
    ("container_type", "name"),
    [
        ("EDTA", "ЭДТА"),
        ("K2-EDTA", "ЭДТА"),
        ("k3_edta", "ЭДТА"),
        ("serum", "Сыворотка"),
        (" Serum ", "Сыворотка"),
        ("SST", "Сыворотка (гель)"),
        ("Na citrate", "Цитрат натрия"),
        ("Li-Heparin", "Гепарин лития"),
        ("NaF", "Фторид натрия"),
        ("urine", "Моча"),
        ("swab", "Мазок"),
    ],
)
def test_well_known_tube_codes_get_their_russian_names(container_type: str, name: str) -> None:
    assert container_name(container_type) == name


@pytest.mark.parametrize("container_type", ["Сыворотка", "Пробирка с ЭДТА (сиреневая)", "BD-42 special", "ЭДТА"])
def test_other_names_are_kept_as_the_catalogue_wrote_them(container_type: str) -> None:
    assert container_name(container_type) == container_type
