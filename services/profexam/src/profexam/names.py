"""Comparing names and positions as people mean them: case, ё and spacing do not count."""

from __future__ import annotations

from datetime import date

from clinic_shared.text import normalize_for_search


def fold(text: str | None) -> str:
    """Lower case, ё → е, single spaces (clinic_shared.text's search form)."""
    return normalize_for_search(text)


def person_key(
    last_name: str, first_name: str, middle_name: str | None, birth_date: date
) -> tuple[str, str, str, date]:
    """Who a person is for matching cards: the three names and the birth date."""
    return fold(last_name), fold(first_name), fold(middle_name), birth_date
