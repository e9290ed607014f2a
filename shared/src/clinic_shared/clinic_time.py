"""The clinic's time zone: one setting of the whole platform, and how instants leave the API.

Every service stores instants in UTC and works with the clinic's wall clock (schedules,
"the day before", "created today") in one zone, the platform's: an administrator changes it
through the gateway (`PUT /api/platform/settings`), which broadcasts it to every process (see
gateway/platform.py). Until a process hears it, it uses `CLINIC_TIMEZONE`.

A front end must show times as the receptionist expects, so every instant an answer carries
is written in the clinic's zone with its offset (`2026-12-07T09:00:00+03:00`), never `Z`:
response schemas type their instants as `ClinicDateTime`. The instant is the same; only how
it is written changes, so a client comparing or converting instants is unaffected.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import PlainSerializer

PLATFORM_SETTINGS_TOPIC = "platform.settings"
_current: dict[str, str] = {"zone": "Europe/Moscow"}
_applied: dict[str, datetime] = {}  # "changed_at" of the settings this process took last


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows (e.g. Europe/Moscow)."""
    if name not in _known_zones():
        return False
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def clinic_zone_name() -> str:
    return _current["zone"]


def clinic_zone() -> ZoneInfo:
    return _zone(_current["zone"])


def set_clinic_zone(name: str) -> bool:
    """Make `name` this process's clinic zone; False (and no change) when it is not a zone.
    The next broadcast settings are taken whatever their age."""
    if not is_time_zone(name):
        return False
    _current["zone"] = name
    _applied.clear()
    return True


def _changed_at(payload: dict[str, object]) -> datetime | None:
    value = payload.get("changed_at")
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def apply_platform_settings(settings: object, payload: dict[str, object]) -> None:
    """Take the platform settings the gateway broadcasts: the clinic's zone, for this process
    (`clinic_zone()`) and for the process's settings object (code reading `settings.timezone`).

    Settings older than the ones taken last are ignored: a periodic repeat that read the row
    just before a change committed arrives after the change's own broadcast, and must not
    turn the clock back for two seconds."""
    name = payload.get("timezone")
    changed_at = _changed_at(payload)
    last = _applied.get("changed_at")
    if not isinstance(name, str) or (changed_at and last and changed_at < last):
        return
    if set_clinic_zone(name):
        if changed_at is not None:
            _applied["changed_at"] = changed_at
        if getattr(settings, "timezone", name) != name:
            settings.timezone = name  # type: ignore[attr-defined]  # settings objects of every service have it; the parameter is typed by protocol


def in_clinic_zone(value: datetime) -> datetime:
    """The same instant written in the clinic's zone (a naive value is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(clinic_zone())


def _written(value: datetime) -> str:
    # A naive value is a wall-clock time someone typed, not an instant: written as it is.
    return value.isoformat() if value.tzinfo is None else in_clinic_zone(value).isoformat()


CLINIC_ZONE_SERIALIZER = PlainSerializer(_written, return_type=str, when_used="json")
ClinicDateTime = Annotated[datetime, CLINIC_ZONE_SERIALIZER]
"""An instant in an answer: written in the clinic's zone with its offset."""
