"""The search terms and word index of card names (PAT-3); cleaning and capitals are tested with
clinic_shared.text (shared/tests/test_text.py)."""

from __future__ import annotations

import pytest

from patients.cards.names import MAX_SEARCH_TERMS, card_name_tokens, name_tokens, parse_search_terms


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
