"""Service processes freeze what their imports made, so full collections stop walking it."""

from __future__ import annotations

import gc
import weakref

from clinic_shared.runner import freeze_startup_objects


class Node:
    def __init__(self) -> None:
        self.me = self


def test_live_objects_are_frozen_at_startup() -> None:
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_garbage_made_before_startup_is_collected_not_frozen() -> None:
    cycle = Node()
    gone = weakref.ref(cycle)
    del cycle
    try:
        freeze_startup_objects()
        assert gone() is None
    finally:
        gc.unfreeze()
