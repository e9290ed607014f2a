"""Template rendering is a pure function (NOT-4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.templates.catalogue import PARAMETERS
from notifier.templates.rendering import parameters_in, render, unavailable_parameters, unknown_parameters

VALUES = {"Name1": "Иван", "Name2": "Петрович", "Name3": "Иванов", "Date": "16.03.2027", "Time": "12:00"}


def test_parameters_are_replaced_by_their_values() -> None:
    assert render("%Name1% %Name2%, ждём вас %Date% в %Time%", VALUES) == "Иван Петрович, ждём вас 16.03.2027 в 12:00"


def test_parameter_names_are_matched_case_insensitively() -> None:
    assert render("%name1% %NAME3%", VALUES) == "Иван Иванов"


def test_a_missing_value_takes_one_surrounding_space_with_it() -> None:
    assert render("%Name1% %Name2% %Name3%", {"Name1": "Иван", "Name3": "Иванов"}) == "Иван Иванов"


def test_a_missing_value_at_the_end_leaves_the_text_before_it() -> None:
    assert render("Здравствуйте, %Name1%!", {}) == "Здравствуйте, !"


def test_percent_signs_in_ordinary_text_are_kept() -> None:
    assert render("Скидка 10% для %Name1% и 20% для всех", VALUES) == "Скидка 10% для Иван и 20% для всех"


def test_an_unknown_parameter_is_left_as_written() -> None:
    assert render("%Name1% %Foo%", VALUES) == "Иван %Foo%"


def test_emoji_are_kept_as_typed() -> None:
    assert render("🎉 %Name1% 🎂", VALUES) == "🎉 Иван 🎂"


@pytest.mark.parametrize(("reference", "emoji"), [("&#128512;", "😀"), ("&#x1F382;", "🎂"), ("&#X1f382;", "🎂")])
def test_html_emoji_codes_become_the_emoji(reference: str, emoji: str) -> None:
    assert render(f"С днём рождения {reference}", {}) == f"С днём рождения {emoji}"


def test_an_impossible_character_reference_is_left_alone() -> None:
    assert render("&#55296; &#0;", {}) == "&#55296; &#0;"


def test_parameters_in_lists_each_name_once_in_order() -> None:
    assert parameters_in("%Time% %Name1% %time% %Date%") == ["Time", "Name1", "Date"]


def test_unknown_parameters_are_found() -> None:
    assert unknown_parameters("%Name1% %Unknown% %Name4%") == ["Unknown", "Name4"]


def test_appointment_parameters_are_unavailable_in_birthday_greetings() -> None:
    assert unavailable_parameters("%Name1% %Doctor% %Time%", "days_before_birthday") == ["Doctor", "Time"]


def test_the_attach_code_is_available_only_to_the_built_in_kind() -> None:
    assert unavailable_parameters("%Code%", "lab_result_ready") == ["Code"]
    assert unavailable_parameters("%Code%", "ondoc_attach_code") == []


def test_every_parameter_has_a_description_and_a_provider() -> None:
    assert all(p.description and p.provided_by for p in PARAMETERS)


@given(st.text(alphabet=st.characters(blacklist_characters="%&\x00"), max_size=200))
def test_text_without_parameters_renders_unchanged(text: str) -> None:
    assert render(text, VALUES) == text


@given(st.sampled_from([p.name for p in PARAMETERS]), st.text(alphabet="абвгд xyz0123456789", min_size=1, max_size=30))
def test_any_known_parameter_renders_its_value(name: str, value: str) -> None:
    assert render(f"[%{name}%]", {name: value}) == f"[{value}]"
