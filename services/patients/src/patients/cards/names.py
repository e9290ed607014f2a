"""Names: cleaning what people type, capitals, and the normalised form the search matches (PAT-3)."""

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
# What splits a name part into words: "Петрова-Водкина", "де Сото", "О'Коннор". Hyphens:
# ASCII and U+2010; apostrophes: ASCII, U+2019 and U+02BC (what phones and Word type).
_HYPHENS = "\\-\u2010"
_APOSTROPHES = "'\u2019\u02bc"
_WORD_BREAKS = re.compile(f"[ {_HYPHENS}{_APOSTROPHES}]+")
# A name typed all in lower case is capitalised word by word, at spaces and hyphens.
_WORDS = re.compile(f"([ {_HYPHENS}]+)")
# "о'коннор", "д'артаньян": one letter and an apostrophe, then the word proper.
_ONE_LETTER_APOSTROPHE = re.compile(f"^([^\\W\\d_])([{_APOSTROPHES}])([^\\W\\d_])")
# Turkic patronymic particles stay lower case after the name: "Мамед оглы", "Лейла кызы".
LOWER_CASE_PARTICLES = frozenset({"оглы", "оглу", "улы", "уулу", "кызы", "гызы"})


def clean_name(value: str | None) -> str | None:
    """Trim and collapse inner whitespace; None for an empty name."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return cleaned or None


def capitalize_name(value: str) -> str:
    """Capitals for a name typed all in lower case; a name with any capital letter is kept as typed.

    Each word, split at spaces and hyphens, gets a capital first letter: "иванова мария" →
    "Иванова Мария", "петрова-водкина" → "Петрова-Водкина". After an apostrophe only when one
    letter precedes it: "о'коннор" → "О'Коннор", but "солов'яненко" → "Солов'яненко". Turkic
    patronymic particles after the first word stay lower case ("мамед оглы" → "Мамед оглы").
    Mixed case is the typist's choice and kept: "де Сото", "ван дер Берг", "МакДональд".
    """
    if any(char.isupper() or char.istitle() for char in value):
        return value
    pieces = _WORDS.split(value)
    # Even indexes are words, odd ones the separators between them.
    for index in range(0, len(pieces), 2):
        word = pieces[index]
        if not word or (index > 0 and word in LOWER_CASE_PARTICLES):
            continue
        word = word[0].title() + word[1:]
        pieces[index] = _ONE_LETTER_APOSTROPHE.sub(lambda m: m[1] + m[2] + m[3].title(), word)
    return "".join(pieces)


def has_control_characters(value: str) -> bool:
    """True when the text holds control characters (never part of a name or address)."""
    return _CONTROL.search(value) is not None


def normalize_for_search(value: str | None) -> str:
    """Lower case with ё → е: the form stored in the *_norm columns and used in queries."""
    return (clean_name(value) or "").casefold().replace("ё", "е")


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
