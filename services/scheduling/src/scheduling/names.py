"""Patient names: the query terms the appointment search matches (SCH-11); cleaning and the
normalised form (lower case, ё → е) are the platform's (clinic_shared.text)."""

from __future__ import annotations

import re

from clinic_shared.text import clean_name, normalize_for_search

__all__ = ["clean_name", "full_name", "normalize_for_search", "parse_search_terms"]

MAX_SEARCH_TERMS = 6
_TERM_SEPARATORS = re.compile(r"[\s,.;]+")


def parse_search_terms(query: str | None) -> list[str]:
    """'Иванов И.' → ['иванов', 'и']: each term must be the start of some name part."""
    if not query:
        return []
    terms = [word.strip("-'") for word in _TERM_SEPARATORS.split(normalize_for_search(query))]
    return [t for t in terms if t][:MAX_SEARCH_TERMS]


def full_name(last_name: str | None, first_name: str | None, middle_name: str | None) -> str:
    """'Иванов Иван Петрович' (missing parts left out)."""
    return " ".join(part for part in (last_name, first_name, middle_name) if part)
