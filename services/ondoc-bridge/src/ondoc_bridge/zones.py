"""Time zones as the ONDOC settings spell them, and conversions to and from the clinic clock.

ONDOC shows times as they are written, so every time we send it is converted into the clinic
zone and written with its offset (OND-1, OND-4). That zone is the platform's one
(`clinic_shared.clinic_time.clinic_zone()`, set through `PUT /api/platform/settings`): the
bridge has no zone of its own any more (#14). The ONDOC settings still accept a zone as a
check — a fixed offset ("+03:00", "GMT+3") or an IANA name ("Europe/Moscow") — and refuse one
whose offset is not the clinic zone's (`same_offset`).
"""

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


def offset_text(zone: tzinfo, moment: datetime) -> str:
    """The zone's UTC offset at `moment`, written "+05:00"."""
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def same_offset(text: str, zone: tzinfo, moment: datetime) -> bool:
    """Whether the zone `text` names is `zone`'s offset at `moment` (an IANA name, e.g.
    Asia/Yekaterinburg, and "+05:00" are the same clinic clock today)."""
    return offset_text(parse_zone(text), moment) == offset_text(zone, moment)


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
