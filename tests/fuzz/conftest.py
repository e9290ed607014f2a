"""Fixtures of the fuzz suite: one platform per test worker, served over HTTP (clinic_shared.testing.served)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic_shared.testing.backends import Backends
from clinic_shared.testing.served import ServedPlatform


@pytest.fixture(scope="session")
def served_platform(backends: Backends, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPlatform]:
    platform = ServedPlatform(backends, tmp_path_factory.mktemp("fuzz") / "var").start()
    try:
        yield platform
    finally:
        platform.stop()
