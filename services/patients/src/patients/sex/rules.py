"""Sex from the patronymic (PAT-6): a dictionary of endings, longest ending wins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

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
    return raw.strip().lstrip("-–—").strip().casefold().replace("ё", "е")


def guess_sex(middle_name: str | None, endings: Mapping[str, str]) -> str | None:
    """The sex whose ending the patronymic has (longest match), or None when none fits."""
    if not middle_name:
        return None
    name = middle_name.strip().casefold().replace("ё", "е")
    # The end of the whole text decides ("Мамед оглы"); a bare ending alone is no patronymic.
    best: tuple[int, str] | None = None
    for ending, sex in endings.items():
        if ending and len(name) > len(ending) and name.endswith(ending) and (best is None or len(ending) > best[0]):
            best = (len(ending), sex)
    return best[1] if best else None
