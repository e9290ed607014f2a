"""Shared bits of the patients tests (importable: this directory is on the path)."""

from __future__ import annotations

ANY_VERSION = {"If-Match": "*"}
"""For tests not about concurrency: card edits and PUT /settings need If-Match (428 without); `*` matches any."""
