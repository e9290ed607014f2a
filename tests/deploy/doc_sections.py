"""A generated part of a doc: the text between a begin and an end marker (HTML comments), read
for comparison and rewritten by the generator scripts (operations_reference, alerts_table)."""

from __future__ import annotations

from pathlib import Path


def section(doc: Path, begin: str, end: str) -> str:
    """What the doc holds between the markers, stripped."""
    text = doc.read_text()
    return text[text.index(begin) + len(begin) : text.index(end)].strip()


def replace_section(doc: Path, begin: str, end: str, body: str) -> None:
    """Put `body` between the markers, on lines of its own."""
    text = doc.read_text()
    start, stop = text.index(begin) + len(begin), text.index(end)
    doc.write_text(text[:start] + "\n" + body + "\n" + text[stop:])
