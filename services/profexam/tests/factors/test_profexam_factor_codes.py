"""Parsing harmful factor cells and matching codes (PRO-4): codes are text, never numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profexam.factors.codes import match_factor_tokens, normalize_source_code, split_factor_cell


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("1.1; 4.2.5, п.18", ["1.1", "4.2.5", "18"]),
        ("п. 4.2.5", ["4.2.5"]),
        ("1.1,4.2.5", ["1.1", "4.2.5"]),
        ("18.2", ["18.2"]),
        ("пп.4.1.", ["4.1"]),
        ("П.18", ["18"]),
        ("п.п. 4.2", ["4.2"]),
        ("4.2.5.", ["4.2.5"]),
        ("1.1 4.2.5", ["1.1", "4.2.5"]),
        ("1.1\n4.2.5", ["1.1", "4.2.5"]),
        ("1.1;;  ; 1.1", ["1.1"]),
        ("", []),
        (None, []),
    ],
)
def test_factor_cells_split_into_codes(cell: object, codes: list[str]) -> None:
    assert split_factor_cell(cell) == codes


def test_codes_stay_text_so_1_10_is_not_1_1() -> None:
    assert split_factor_cell("1.10") == ["1.10"]
    assert split_factor_cell("1.10") != split_factor_cell("1.1")


@pytest.mark.parametrize(("number", "code"), [(18.2, "18.2"), (18, "18"), (18.0, "18"), (4.1, "4.1")])
def test_number_cells_keep_what_excel_stored(number: float, code: str) -> None:
    assert split_factor_cell(number) == [code]


def test_words_are_kept_as_one_text_code_for_mapping() -> None:
    assert split_factor_cell("Шум и вибрация; пыль") == ["шум и вибрация", "пыль"]


def test_a_word_starting_with_p_is_not_a_prefix() -> None:
    assert normalize_source_code("пыль") == "пыль"
    assert normalize_source_code("п. 4.2.5") == "4.2.5"


def test_dictionary_codes_and_mapped_codes_are_placed_and_others_are_unknown() -> None:
    match = match_factor_tokens(["1.1", "шум", "9.9.9", "1.1"], dictionary={"1.1", "4.4"}, mappings={"шум": "4.4"})
    assert match.codes == ["1.1", "4.4"]
    assert match.unknown == ["9.9.9"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.from_regex(r"[1-9][0-9]?(\.[0-9]{1,2}){0,3}", fullmatch=True), min_size=1, max_size=6))
def test_any_list_of_codes_joined_by_semicolons_comes_back_in_order(codes: list[str]) -> None:
    expected = list(dict.fromkeys(codes))
    assert split_factor_cell("; ".join(f"п.{c}" for c in codes)) == expected
