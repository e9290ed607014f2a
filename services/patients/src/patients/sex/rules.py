"""Sex from the patronymic (PAT-6): a dictionary of endings, longest ending wins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from clinic_shared.text import normalize_for_search, sex_from_patronymic

Sex = Literal["male", "female"]
ENDING_MAX_LENGTH = 20

DEFAULT_ENDINGS: dict[str, Sex] = {
    "вич": "male",
    "вна": "female",
    "оглы": "male",
    "кызы": "female",
    "ич": "male",
    "ична": "female",
}


def normalize_ending(raw: str) -> str:
    """'-Вич ' → 'вич': lower case, ё → е, without the leading dash people write."""
    return normalize_for_search(raw.strip().lstrip("-–—"))


def guess_sex(middle_name: str | None, endings: Mapping[str, str]) -> str | None:
    """The sex whose ending the patronymic has (longest match), or None when none fits."""
    return sex_from_patronymic(middle_name, endings)
