"""Harmful factor codes as people write them in a cell: parsing and matching (PRO-4).

Codes are text, never numbers: "1.10" and "1.1" are different items of Order 29n.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# A cell lists codes separated by ";", "," or new lines; "п."/"пп." prefixes are noise.
_SEPARATORS = re.compile(r"[;,\n\r]+")
_PREFIX = re.compile(r"^(?:п\.?\s*п|пп|п)\s*\.?\s*", re.IGNORECASE)
_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_SPACES = re.compile(r"\s+")
MAX_SOURCE_CODE_LENGTH = 100


def normalize_source_code(text: str) -> str:
    """What an organisation wrote, as a mapping key: no prefix, no trailing dot, lower case."""
    token = _SPACES.sub(" ", text).strip()
    token = _PREFIX.sub("", token) if _PREFIX.match(token) and _looks_prefixed(token) else token
    token = token.strip().rstrip(".").strip()
    return token.casefold().replace("ё", "е")


def _looks_prefixed(token: str) -> bool:
    # "п. 4.2.5" and "пп.18" are prefixed codes; a word like "пыль" is not.
    rest = _PREFIX.sub("", token, count=1)
    return bool(rest) and rest[0].isdigit()


def cell_text(value: Any) -> str:
    """A factor cell as text; numbers keep what Excel stored (18.2 → "18.2", 18 → "18")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    return str(value)


def split_factor_cell(value: Any) -> list[str]:
    """'1.1; 4.2.5, п.18' → ['1.1', '4.2.5', '18']: each listed code once, in order."""
    tokens: list[str] = []
    for piece in _SEPARATORS.split(cell_text(value)):
        piece = piece.strip()
        if not piece:
            continue
        words = piece.split()
        # "1.1 4.2.5" lists two codes; "шум и вибрация" is one text code.
        parts = words if len(words) > 1 and all(_CODE.match(w.rstrip(".")) for w in words) else [piece]
        for part in parts:
            token = normalize_source_code(part)
            if token and token not in tokens:
                tokens.append(token)
    return tokens


def is_code_shaped(token: str) -> bool:
    """True for dotted digits like '4.2.5'."""
    return bool(_CODE.match(token))


@dataclass
class FactorMatch:
    """Dictionary codes found in a cell and the tokens nobody can place yet."""

    codes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def match_factor_tokens(tokens: list[str], *, dictionary: set[str], mappings: Mapping[str, str]) -> FactorMatch:
    """Place each token: a dictionary code as is, else the organisation's remembered mapping."""
    match = FactorMatch()
    for token in tokens:
        code = token if token in dictionary else mappings.get(token)
        if code is None:
            match.unknown.append(token)
        elif code not in match.codes:
            match.codes.append(code)
    return match
