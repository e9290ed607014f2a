"""The clinic time zone of the ONDOC settings: a fixed offset ("+03:00", "GMT+3") or an IANA
name ("Europe/Moscow"). ONDOC shows times as they are written, so every time we send it is
converted into this zone and written with its offset (OND-1, OND-4)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
MAX_OFFSET = timedelta(hours=14)


class InvalidZone(ValueError):
    """The text is neither an offset nor a known IANA zone."""


def normalise_zone(text: str) -> str:
    """The canonical spelling of a zone: "+03:00" for offsets, the IANA name otherwise."""
    value = text.strip()
    if not value:
        raise InvalidZone("empty time zone")
    if value.upper() in ("UTC", "GMT", "Z"):
        return "+00:00"
    match = _OFFSET.match(value)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if minutes >= 60 or timedelta(hours=hours, minutes=minutes) > MAX_OFFSET:
            raise InvalidZone(f"offset out of range: {value}")
        return f"{sign}{hours:02d}:{minutes:02d}"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidZone(f"unknown time zone: {value}") from exc
    return value


def parse_zone(text: str) -> tzinfo:
    """The tzinfo of a zone text (see `normalise_zone`)."""
    value = normalise_zone(text)
    match = _OFFSET.match(value)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return timezone(sign * offset)
    return ZoneInfo(value)


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """The same instant on the clinic's wall clock (serialised with the zone's offset)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(zone)


def to_clinic_time(moment: datetime, zone: tzinfo) -> str:
    """An aware moment as ISO 8601 in the clinic zone, with its offset ("2025-03-01T10:00:00+03:00")."""
    return in_zone(moment, zone).isoformat(timespec="seconds")


def from_clinic_time(moment: datetime, zone: tzinfo) -> datetime:
    """A time ONDOC sent: with an offset it is taken as is, without one it is clinic time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
