"""Patient names: the normalised form the appointment search matches (SCH-11)."""

from __future__ import annotations

import re
import unicodedata

MAX_SEARCH_TERMS = 6
_SPACES = re.compile(r"\s+")
_TERM_SEPARATORS = re.compile(r"[\s,.;]+")


def clean_name(value: str | None) -> str | None:
    """Trim and collapse inner whitespace; None for an empty name."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return cleaned or None


def normalize_for_search(value: str | None) -> str:
    """Lower case with ё → е (SQLite's lower() does not know Cyrillic, so we store this form)."""
    return (clean_name(value) or "").casefold().replace("ё", "е")


def parse_search_terms(query: str | None) -> list[str]:
    """'Иванов И.' → ['иванов', 'и']: each term must be the start of some name part."""
    if not query:
        return []
    terms = [word.strip("-'") for word in _TERM_SEPARATORS.split(normalize_for_search(query))]
    return [t for t in terms if t][:MAX_SEARCH_TERMS]


def full_name(last_name: str | None, first_name: str | None, middle_name: str | None) -> str:
    """'Иванов Иван Петрович' (missing parts left out)."""
    return " ".join(part for part in (last_name, first_name, middle_name) if part)
