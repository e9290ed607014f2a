"""People's names as typed: cleaning, capitals, and the normalised form searches match.

One rule for every service that takes a name (patients' cards, a booking's primary patient,
the website widget, the directories' doctors): a name typed all in lower case is stored with
capitals per word ("петрова-водкина" → "Петрова-Водкина"); one with any capital letter is kept
as typed ("де Сото"). Searches compare the normalised form: lower case with ё → е.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_SPACES = re.compile(r"\s+")
# What splits a name into words for capitals: spaces and hyphens (ASCII and U+2010).
HYPHENS = "\\-\u2010"
# Apostrophes: ASCII, U+2019 and U+02BC (what phones and Word type).
APOSTROPHES = "'\u2019\u02bc"
_WORDS = re.compile(f"([ {HYPHENS}]+)")
# "о'коннор", "д'артаньян": one letter and an apostrophe, then the word proper.
_ONE_LETTER_APOSTROPHE = re.compile(f"^([^\\W\\d_])([{APOSTROPHES}])([^\\W\\d_])")
# Turkic patronymic particles stay lower case after the name: "Мамед оглы", "Лейла кызы".
LOWER_CASE_PARTICLES = frozenset({"оглы", "оглу", "улы", "уулу", "кызы", "гызы"})


def clean_name(value: str | None) -> str | None:
    """Trim and collapse inner whitespace (NFC); None for an empty name."""
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


def typed_name(value: Any) -> Any:
    """A name as a person typed it, as it is stored: cleaned, then capitalised when typed all in
    lower case ("" for a blank one, so a required name still fails its length check). Anything
    but a string is left for the schema to refuse. Meant for pydantic's BeforeValidator."""
    return capitalize_name(clean_name(value) or "") if isinstance(value, str) else value


def normalize_for_search(value: str | None) -> str:
    """Lower case with ё → е, single spaces: the form stored for searches and used in queries,
    and the form in which names, positions and codes are compared (case, ё and spacing do not
    count). SQLite's lower() does not know Cyrillic, so services store this copy."""
    return (clean_name(value) or "").casefold().replace("ё", "е")


def sex_from_patronymic(middle_name: str | None, endings: Mapping[str, str]) -> str | None:
    """The sex whose ending the patronymic has, the longest matching ending winning (PAT-6,
    over the patients service's dictionary `ending → sex`); None when none fits. The end of the
    whole text decides ("Мамед оглы"); a bare ending alone is no patronymic."""
    if not middle_name:
        return None
    name = normalize_for_search(middle_name)
    best: tuple[int, str] | None = None
    for ending, sex in endings.items():
        if ending and len(name) > len(ending) and name.endswith(ending) and (best is None or len(ending) > best[0]):
            best = (len(ending), sex)
    return best[1] if best else None
