"""Which passwords are refused (GW-2): too common, too simple, or the username.

Length (8 to 256 characters) is checked by the request schema; this adds what a guesser tries
first. The reason is a short sentence the front end can show under the «Пароль» field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common-passwords.txt"
# Rows a finger runs along, and runs of digits and letters, forwards and backwards.
SEQUENCES = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
)
MIN_DISTINCT_CHARACTERS = 3
TRAILING_NOISE = "0123456789!@#$%^&*()_-+=.,?~ "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_sequence(text: str) -> bool:
    return any(text in row or text in row[::-1] for row in SEQUENCES)


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` may not be used, or None when it may."""
    lowered = password.lower()
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return "must not be one or two characters repeated"
    if _is_sequence(lowered):
        return "must not be a run of keys or digits like 12345678 or qwertyui"
    stem = lowered.rstrip(TRAILING_NOISE)
    common = common_passwords()
    if lowered in common or (len(stem) >= 4 and stem in common) or (_is_sequence(stem) and len(stem) >= 4):
        return "is one of the most common passwords; choose another"
    if username:
        name = username.lower()
        if len(name) >= 3 and (name in lowered or name[::-1] in lowered):
            return "must not contain the username"
    return None
