"""Name cleaning, capitals, and the normalised search form and word index (PAT-3)."""

from __future__ import annotations

import pytest

from patients.cards.names import (
    MAX_SEARCH_TERMS,
    capitalize_name,
    card_name_tokens,
    clean_name,
    name_tokens,
    normalize_for_search,
    parse_search_terms,
)


def test_clean_name_trims_and_collapses_spaces() -> None:
    assert clean_name("  Анна   Мария \t") == "Анна Мария"


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_clean_name_of_nothing_is_none(raw: str | None) -> None:
    assert clean_name(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ёлкин", "елкин"),
        ("ЁЛКИН", "елкин"),
        ("Семёнов", "семенов"),
        ("ИВАНОВ", "иванов"),
        ("иванов", "иванов"),
        ("  Петров-Водкин ", "петров-водкин"),
        ("Müller", "müller"),
        (None, ""),
    ],
)
def test_search_form_is_lower_case_with_yo_as_ye(raw: str | None, expected: str) -> None:
    assert normalize_for_search(raw) == expected


def test_search_terms_are_split_on_spaces() -> None:
    assert parse_search_terms("иван ив") == ["иван", "ив"]


def test_search_terms_are_normalised() -> None:
    assert parse_search_terms("СЕМЁН") == ["семен"]


def test_initials_with_dots_become_separate_terms() -> None:
    assert parse_search_terms("Иванов И.П.") == ["иванов", "и", "п"]


def test_repeated_terms_are_kept_to_match_two_parts() -> None:
    assert parse_search_terms("иван иван") == ["иван", "иван"]


def test_empty_query_has_no_terms() -> None:
    assert parse_search_terms("  ,  ") == []


def test_number_of_terms_is_capped() -> None:
    assert len(parse_search_terms(" ".join(f"w{i}" for i in range(20)))) == MAX_SEARCH_TERMS


def test_like_wildcards_stay_literal_terms() -> None:
    assert parse_search_terms("100% ив_") == ["100%", "ив_"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("иванова", "Иванова"),
        ("иванова мария", "Иванова Мария"),
        ("петрова-водкина", "Петрова-Водкина"),
        ("римская-корсакова-лебедева", "Римская-Корсакова-Лебедева"),
        ("анна-мария", "Анна-Мария"),
        ("анна - мария", "Анна - Мария"),
        ("петрова\u2010водкина", "Петрова\u2010Водкина"),
        ("ёлкин", "Ёлкин"),
        ("о'коннор", "О'Коннор"),
        ("д'артаньян", "Д'Артаньян"),
        ("о\u2019коннор", "О\u2019Коннор"),
        ("солов'яненко", "Солов'яненко"),
        ("мамед оглы", "Мамед оглы"),
        ("мамед-оглы", "Мамед-оглы"),
        ("лейла кызы", "Лейла кызы"),
        ("оглы", "Оглы"),
        ("müller", "Müller"),
        ("smith-jones", "Smith-Jones"),
        ("и", "И"),
        ("", ""),
    ],
)
def test_a_name_typed_in_lower_case_gets_capitals(typed: str, stored: str) -> None:
    assert capitalize_name(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["де Сото", "ван дер Берг", "МакДональд", "ИВАНОВ", "иВанов", "петрова-Водкина", "Петрова-водкина", "д'Артаньян"],
)
def test_a_name_with_any_capital_is_kept_as_typed(typed: str) -> None:
    assert capitalize_name(typed) == typed


@pytest.mark.parametrize(
    ("normalized", "tokens"),
    [
        ("иванов", ["иванов"]),
        ("петрова-водкина", ["петрова-водкина", "водкина"]),
        ("римская-корсакова-лебедева", ["римская-корсакова-лебедева", "корсакова-лебедева", "лебедева"]),
        ("де сото", ["де сото", "сото"]),
        ("о'коннор", ["о'коннор", "коннор"]),
        ("о\u2019коннор", ["о\u2019коннор", "коннор"]),
        ("анна - мария", ["анна - мария", "мария"]),
        ("-водкина-", ["водкина-"]),
        ("", []),
        ("--", []),
    ],
)
def test_every_word_of_a_name_part_is_a_token(normalized: str, tokens: list[str]) -> None:
    assert name_tokens(normalized) == tokens


def test_card_tokens_run_over_last_first_and_middle_name_in_order() -> None:
    assert card_name_tokens("петрова-водкина", "анна", "") == ["петрова-водкина", "водкина", "анна"]
