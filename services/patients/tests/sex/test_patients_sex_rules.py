"""Sex from the patronymic (PAT-6) as a plain function."""

from __future__ import annotations

import pytest

from patients.sex.rules import DEFAULT_ENDINGS, guess_sex, normalize_ending


@pytest.mark.parametrize(
    ("middle_name", "sex"),
    [
        ("Иванович", "male"),
        ("Ивановна", "female"),
        ("ИВАНОВНА", "female"),
        ("Мамед оглы", "male"),
        ("Мамедоглы", "male"),
        ("Гасан кызы", "female"),
        ("Ильич", "male"),
        ("Кузьминична", "female"),
        ("Саввична", "female"),
        ("Фомич", "male"),
        ("  Петровна  ", "female"),
        ("Алексеевич", "male"),
        ("Алёновна", "female"),
    ],
)
def test_default_endings_give_the_sex(middle_name: str, sex: str) -> None:
    assert guess_sex(middle_name, DEFAULT_ENDINGS) == sex


@pytest.mark.parametrize("middle_name", [None, "", "Джон", "оглы", "Smith"])
def test_no_fitting_ending_gives_no_sex(middle_name: str | None) -> None:
    assert guess_sex(middle_name, DEFAULT_ENDINGS) is None


def test_longest_ending_wins() -> None:
    endings = {"на": "male", "ична": "female"}
    assert guess_sex("Ильинична", endings) == "female"


def test_dictionary_edits_take_effect() -> None:
    assert guess_sex("Джонсон", {**DEFAULT_ENDINGS, "сон": "male"}) == "male"


@pytest.mark.parametrize(("raw", "ending"), [("-вич", "вич"), (" –ВНА ", "вна"), ("Ёвич", "евич")])
def test_endings_are_stored_normalised(raw: str, ending: str) -> None:
    assert normalize_ending(raw) == ending
