"""Names: cleaning what people type, and the normalised form the search matches (PAT-3)."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX_LENGTH = 100
MAX_SEARCH_TERMS = 6
_SPACES = re.compile(r"\s+")
# Unicode category Cc is exactly these two ranges; a regex scans a name in one C call.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Words of a search query are separated by spaces, commas and dots ("Иванов И.И.").
_TERM_SEPARATORS = re.compile(r"[\s,.;]+")


def clean_name(value: str | None) -> str | None:
    """Trim and collapse inner whitespace; None for an empty name."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return cleaned or None


def has_control_characters(value: str) -> bool:
    """True when the text holds control characters (never part of a name or address)."""
    return _CONTROL.search(value) is not None


def normalize_for_search(value: str | None) -> str:
    """Lower case with ё → е: the form stored in the *_norm columns and used in queries."""
    return (clean_name(value) or "").casefold().replace("ё", "е")


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
