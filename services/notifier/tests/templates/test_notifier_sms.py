"""SMS encoding, length and segments (NOT-4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier.templates.sms import encoding_of, sms_info


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Hello, 10:00!", "GSM-7"),
        ("Привет", "UCS-2"),
        ("Hi 🎉", "UCS-2"),
        ("€ {x}", "GSM-7"),
        ("café", "GSM-7"),
        ("Kuşadası", "UCS-2"),
    ],
)
def test_encoding_is_gsm7_only_when_every_character_fits(text: str, encoding: str) -> None:
    assert encoding_of(text) == encoding


@pytest.mark.parametrize(("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3)])
def test_latin_text_fits_160_in_one_segment_and_153_per_part(length: int, segments: int) -> None:
    info = sms_info("a" * length)
    assert (info.encoding, info.length, info.segments) == ("GSM-7", length, segments)


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_cyrillic_text_fits_70_in_one_segment_and_67_per_part(length: int, segments: int) -> None:
    info = sms_info("я" * length)
    assert (info.encoding, info.length, info.segments) == ("UCS-2", length, segments)


def test_an_emoji_outside_the_bmp_takes_two_ucs2_units() -> None:
    info = sms_info("Привет 🎉")
    assert (info.length, info.characters) == (9, 8)


def test_gsm_extension_characters_take_two_septets() -> None:
    assert sms_info("€[]").length == 6


def test_an_emoji_is_never_split_between_segments() -> None:
    # 66 Cyrillic + one emoji (2 units) = 68 units > 67: the emoji goes to the second part.
    text = "я" * 66 + "🎉" + "я" * 5
    assert sms_info(text).segments == 2


def test_empty_text_has_no_segments() -> None:
    assert sms_info("").segments == 0


@given(st.text(max_size=600))
def test_segments_grow_with_length(text: str) -> None:
    info = sms_info(text)
    single = 160 if info.encoding == "GSM-7" else 70
    multi = 153 if info.encoding == "GSM-7" else 67
    if info.length == 0:
        assert info.segments == 0
    elif info.length <= single:
        assert info.segments == 1
    else:
        assert -(-info.length // multi) <= info.segments <= -(-info.length // (multi - 1))
