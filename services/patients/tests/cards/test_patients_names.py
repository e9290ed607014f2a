"""Name cleaning and the normalised search form (PAT-3)."""

from __future__ import annotations

import pytest

from patients.cards.names import MAX_SEARCH_TERMS, clean_name, normalize_for_search, parse_search_terms


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
