"""Text helpers: search keys and the short patient name printed on labels."""

from __future__ import annotations

from clinic_shared.text import normalize_for_search


def search_key(value: str | None) -> str:
    """Lower case with ё → е (clinic_shared.text's search form): SQLite's lower() does not know
    Cyrillic, so we store this copy."""
    return normalize_for_search(value)


def short_name(last_name: str, first_name: str | None, middle_name: str | None = None) -> str:
    """'Иванов', 'Иван', 'Иванович' → 'Иванов И. И.'."""
    initials = " ".join(f"{part.strip()[0].upper()}." for part in (first_name, middle_name) if part and part.strip())
    return f"{last_name.strip()} {initials}".strip()
