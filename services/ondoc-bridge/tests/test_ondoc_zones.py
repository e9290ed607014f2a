"""Zones as the ONDOC settings spell them (offsets or IANA names), the check against the
clinic zone, and conversions (OND-1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ondoc_bridge.zones import (
    InvalidZone,
    from_clinic_time,
    normalise_zone,
    offset_text,
    parse_zone,
    same_offset,
    to_clinic_time,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("+03:00", "+03:00"),
        ("+0300", "+03:00"),
        ("+3", "+03:00"),
        ("GMT+3", "+03:00"),
        ("UTC-05:30", "-05:30"),
        ("utc", "+00:00"),
        ("Europe/Moscow", "Europe/Moscow"),
        (" Asia/Yekaterinburg ", "Asia/Yekaterinburg"),
    ],
)
def test_zones_are_written_one_way(text: str, canonical: str) -> None:
    assert normalise_zone(text) == canonical


@pytest.mark.parametrize("text", ["", "+15:00", "+03:75", "Mars/Olympus", "3 hours", "GMT+"])
def test_nonsense_zones_are_refused(text: str) -> None:
    with pytest.raises(InvalidZone):
        normalise_zone(text)


def test_a_moment_is_written_on_the_clinic_clock_with_its_offset() -> None:
    moment = datetime(2030, 1, 31, 21, 30, tzinfo=UTC)
    assert to_clinic_time(moment, parse_zone("+03:00")) == "2030-02-01T00:30:00+03:00"


def test_an_iana_zone_follows_daylight_saving() -> None:
    zone = parse_zone("Europe/Berlin")
    assert to_clinic_time(datetime(2030, 7, 1, 10, tzinfo=UTC), zone).endswith("+02:00")
    assert to_clinic_time(datetime(2030, 1, 1, 10, tzinfo=UTC), zone).endswith("+01:00")


def test_a_time_without_offset_from_ondoc_is_clinic_time() -> None:
    local = from_clinic_time(datetime(2030, 5, 6, 10, 0), parse_zone("+03:00"))
    assert local.astimezone(UTC) == datetime(2030, 5, 6, 7, 0, tzinfo=UTC)


def test_a_naive_moment_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_clinic_time(datetime(2030, 1, 1), parse_zone("+03:00"))


@given(
    minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
)
def test_converting_to_any_offset_keeps_the_instant(minutes: int, moment: datetime) -> None:
    sign = "-" if minutes < 0 else "+"
    text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    zone = parse_zone(text)
    written = to_clinic_time(moment.replace(microsecond=0), zone)
    assert datetime.fromisoformat(written) == moment.replace(microsecond=0)
    assert datetime.fromisoformat(written).utcoffset() == timezone(timedelta(minutes=minutes)).utcoffset(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+05:00", True), ("GMT+5", True), ("Asia/Yekaterinburg", True), ("Asia/Tashkent", True), ("+03:00", False)],
)
def test_a_zone_is_checked_by_its_offset_against_the_clinic_zone(text: str, *, expected: bool) -> None:
    clinic = parse_zone("Asia/Yekaterinburg")
    assert same_offset(text, clinic, datetime(2030, 7, 1, tzinfo=UTC)) is expected


def test_the_offset_of_a_daylight_saving_zone_is_the_one_of_the_moment() -> None:
    berlin = parse_zone("Europe/Berlin")
    assert offset_text(berlin, datetime(2030, 7, 1, tzinfo=UTC)) == "+02:00"
    assert offset_text(berlin, datetime(2030, 1, 1, tzinfo=UTC)) == "+01:00"
    assert offset_text(parse_zone("-03:30"), datetime(2030, 1, 1, tzinfo=UTC)) == "-03:30"
