"""People's names as typed (clinic_shared.text): cleaning, capitals per word for a name typed
in lower case, and the normalised form searches compare (#14)."""

from __future__ import annotations

import pytest

from clinic_shared.text import capitalize_name, clean_name, normalize_for_search, sex_from_patronymic, typed_name


def test_clean_name_trims_and_collapses_spaces() -> None:
    assert clean_name("  Анна   Мария \t") == "Анна Мария"


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_clean_name_of_nothing_is_none(raw: str | None) -> None:
    assert clean_name(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ёлкин", "елкин"),
        ("ЁЛКИН", "елкин"),
        ("Семёнов", "семенов"),
        ("ИВАНОВ", "иванов"),
        ("иванов", "иванов"),
        ("  Петров-Водкин ", "петров-водкин"),
        ("Müller", "müller"),
        (None, ""),
    ],
)
def test_search_form_is_lower_case_with_yo_as_ye(raw: str | None, expected: str) -> None:
    assert normalize_for_search(raw) == expected


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("иванова", "Иванова"),
        ("иванова мария", "Иванова Мария"),
        ("петрова-водкина", "Петрова-Водкина"),
        ("римская-корсакова-лебедева", "Римская-Корсакова-Лебедева"),
        ("анна-мария", "Анна-Мария"),
        ("анна - мария", "Анна - Мария"),
        ("петрова\u2010водкина", "Петрова\u2010Водкина"),
        ("ёлкин", "Ёлкин"),
        ("о'коннор", "О'Коннор"),
        ("д'артаньян", "Д'Артаньян"),
        ("о\u2019коннор", "О\u2019Коннор"),
        ("солов'яненко", "Солов'яненко"),
        ("мамед оглы", "Мамед оглы"),
        ("мамед-оглы", "Мамед-оглы"),
        ("лейла кызы", "Лейла кызы"),
        ("оглы", "Оглы"),
        ("müller", "Müller"),
        ("smith-jones", "Smith-Jones"),
        ("и", "И"),
        ("", ""),
    ],
)
def test_a_name_typed_in_lower_case_gets_capitals(typed: str, stored: str) -> None:
    assert capitalize_name(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["де Сото", "ван дер Берг", "МакДональд", "ИВАНОВ", "иВанов", "петрова-Водкина", "Петрова-водкина", "д'Артаньян"],
)
def test_a_name_with_any_capital_is_kept_as_typed(typed: str) -> None:
    assert capitalize_name(typed) == typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("  петрова-водкина \t мария ", "Петрова-Водкина Мария"), ("  де   Сото ", "де Сото"), ("   ", "")],
)
def test_a_typed_name_is_cleaned_then_capitalised(typed: str, stored: str) -> None:
    assert typed_name(typed) == stored


@pytest.mark.parametrize("value", [None, 42, ["иванов"]])
def test_a_typed_name_that_is_not_text_is_left_for_the_schema(value: object) -> None:
    assert typed_name(value) is value


ENDINGS = {"вич": "male", "вна": "female", "ична": "female", "ич": "male", "оглы": "male"}


@pytest.mark.parametrize(
    ("middle_name", "sex"),
    [
        ("Иванович", "male"),
        ("Ивановна", "female"),
        ("Ильинична", "female"),  # "ична" is longer than "ич"
        ("Мамед оглы", "male"),  # the end of the whole text decides
        ("  ФОМИНИЧНА ", "female"),  # case and spaces do not count
        ("Артёмовна", "female"),
        ("ич", None),  # a bare ending is no patronymic
        ("Петров", None),
        (None, None),
        ("", None),
    ],
)
def test_sex_from_patronymic_takes_the_longest_ending_of_the_whole_text(
    middle_name: str | None, sex: str | None
) -> None:
    assert sex_from_patronymic(middle_name, ENDINGS) == sex
