"""Service processes freeze what their imports made, so full collections stop walking it.

Each case runs in a fresh interpreter, as a service process starts: in a test worker that
has already run hundreds of tests the heap is so large that one full collection took 30 s.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_fresh(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_live_objects_are_frozen_at_startup() -> None:
    run_fresh(
        """
        import gc
        from clinic_shared.runner import freeze_startup_objects

        assert gc.get_freeze_count() == 0
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        """
    )


def test_garbage_made_before_startup_is_collected_not_frozen() -> None:
    run_fresh(
        """
        import weakref
        from clinic_shared.runner import freeze_startup_objects

        class Node:
            def __init__(self):
                self.me = self

        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        freeze_startup_objects()
        assert gone() is None
        """
    )
