"""SMS length, encoding and segment count of a text: pure functions (NOT-4).

GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table (an
extension character takes two septets); otherwise UCS-2, where a character outside the Basic
Multilingual Plane (most emoji) takes two UTF-16 units. One segment holds 160 septets or 70
UCS-2 units; a concatenated message holds 153 / 67 per segment, and a character is never
split between two segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]
SINGLE = {"GSM-7": 160, "UCS-2": 70}
MULTI = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class SmsInfo:
    encoding: Encoding
    length: int  # septets (GSM-7) or UTF-16 units (UCS-2)
    segments: int
    characters: int


def encoding_of(text: str) -> Encoding:
    """GSM-7 if every character fits the GSM alphabet, else UCS-2 (any Cyrillic or emoji)."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return "GSM-7"
    return "UCS-2"


def _units(ch: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def sms_info(text: str) -> SmsInfo:
    """Encoding, length in encoding units and the number of segments the text is sent in."""
    encoding = encoding_of(text)
    units = [_units(ch, encoding) for ch in text]
    length = sum(units)
    if length == 0:
        return SmsInfo(encoding, 0, 0, 0)
    if length <= SINGLE[encoding]:
        return SmsInfo(encoding, length, 1, len(text))
    capacity, segments, used = MULTI[encoding], 1, 0
    for size in units:
        if used + size > capacity:
            segments += 1
            used = 0
        used += size
    return SmsInfo(encoding, length, segments, len(text))
