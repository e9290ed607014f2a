"""Text helpers: search keys and the short patient name printed on labels."""

from __future__ import annotations


def search_key(value: str | None) -> str:
    """Lower case with ё → е: SQLite's lower() does not know Cyrillic, so we store this copy."""
    return (value or "").strip().lower().replace("ё", "е")


def short_name(last_name: str, first_name: str | None, middle_name: str | None = None) -> str:
    """'Иванов', 'Иван', 'Иванович' → 'Иванов И. И.'."""
    initials = " ".join(f"{part.strip()[0].upper()}." for part in (first_name, middle_name) if part and part.strip())
    return f"{last_name.strip()} {initials}".strip()
