"""Names on cards: the word index and query terms the search matches (PAT-3). Cleaning, capitals
and the normalised form are the platform's (clinic_shared.text), re-exported here."""

from __future__ import annotations

import re

from clinic_shared.text import APOSTROPHES, HYPHENS, capitalize_name, clean_name, normalize_for_search

__all__ = [
    "NAME_MAX_LENGTH",
    "capitalize_name",
    "card_name_tokens",
    "clean_name",
    "has_control_characters",
    "name_tokens",
    "normalize_for_search",
    "parse_search_terms",
]

NAME_MAX_LENGTH = 100
MAX_SEARCH_TERMS = 6
# Unicode category Cc is exactly these two ranges; a regex scans a name in one C call.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Words of a search query are separated by spaces, commas and dots ("Иванов И.И.").
_TERM_SEPARATORS = re.compile(r"[\s,.;]+")
# What splits a name part into words for the search: "Петрова-Водкина", "де Сото", "О'Коннор".
_WORD_BREAKS = re.compile(f"[ {HYPHENS}{APOSTROPHES}]+")


def has_control_characters(value: str) -> bool:
    """True when the text holds control characters (never part of a name or address)."""
    return _CONTROL.search(value) is not None


def name_tokens(normalized: str) -> list[str]:
    """What a name part is found by: its words' starts, each with the rest of the part after it.

    'петрова-водкина' → ['петрова-водкина', 'водкина'], "о'коннор" → ["о'коннор", 'коннор']:
    a search word matches a token by prefix, so "водк" finds Петрова-Водкина and
    "петрова-вод" still does. Input is the normalised form (`normalize_for_search`).
    """
    tokens: list[str] = []
    start = 0
    for match in _WORD_BREAKS.finditer(normalized):
        if match.start() > start:
            tokens.append(normalized[start:])
        start = match.end()
    if start < len(normalized):
        tokens.append(normalized[start:])
    return tokens


def card_name_tokens(*normalized_parts: str) -> list[str]:
    """`name_tokens` of a card's normalised last, first and middle name, in that order (positions)."""
    return [token for part in normalized_parts for token in name_tokens(part)]


def parse_search_terms(query: str | None) -> list[str]:
    """Split a name query into normalised words, at most MAX_SEARCH_TERMS.

    Repeated words are kept: "иван иван" asks for two name parts starting with "иван".
    """
    if not query:
        return []
    terms: list[str] = []
    for word in _TERM_SEPARATORS.split(normalize_for_search(query)):
        word = word.strip("-'")
        if word:
            terms.append(word)
    return terms[:MAX_SEARCH_TERMS]
