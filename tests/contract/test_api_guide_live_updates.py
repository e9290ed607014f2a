"""docs/api.md tells front-end developers the live stream's true event types, heartbeat and
retention (gateway/live: `TOPICS` and `LiveOptions`' defaults), not only where to read them."""

from __future__ import annotations

import re
from pathlib import Path

from clinic_shared.events import EVENT_CATALOGUE
from gateway.live.hub import LiveOptions
from gateway.live.topics import topic_of

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def live_updates_section() -> str:
    text = DOCS.read_text()
    start = text.index("## Live updates")
    return text[start : text.index("\n## ", start + 1)]


def test_the_guide_names_every_event_type_the_stream_carries_and_no_other() -> None:
    streamed = {event_type for event_type in EVENT_CATALOGUE if topic_of(event_type) is not None}
    table = [line for line in live_updates_section().splitlines() if line.startswith("| `")]
    named = {name for line in table for name in re.findall(r"`([a-z_]+\.[a-z_]+)`", line.split(" | ")[0])}
    assert "appointment.created" in streamed
    assert named == streamed


def test_the_guide_gives_the_heartbeat_retry_and_retention_window() -> None:
    options, section = LiveOptions(), live_updates_section()
    assert f"every **{options.heartbeat_seconds:g} seconds**" in section
    assert f"retry: {options.retry_ms}" in section
    assert f"last **{options.retention_seconds / 60:g} minutes**" in section
    assert f"last **{options.retention_events:,}** events".replace(",", " ") in section
