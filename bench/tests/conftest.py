"""Tests of the benchmark's own helpers (`bench/`): they run from the repository root, where
`python -m bench.run` runs, so the root must be importable however pytest was started."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


@pytest.fixture
def platform_services() -> list[str]:
    return ["scheduling"]
