"""Pausing Python's cyclic garbage collector around bulk work (imports of thousands of rows).

Bulk work keeps hundreds of thousands of objects alive until it ends (rows, their dicts,
UUIDs, events). Each allocation pushes CPython towards a full collection, and a full
collection walks every object of the process: in embedded mode every service's. Measured
on the 10,000-row employee import: about a fifth of the import's CPU went to collections
that freed nothing. The objects of such work do not form reference cycles (reference
counting frees them as usual), so the collector is paused while any bulk job runs and
resumes when the last one ends. Paused means delayed, not lost: garbage cycles made by
other requests meanwhile are collected after the job.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_resume = False  # whether the collector was running when the first holder paused it


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nests, and works across tasks and threads).

    Leaves the collector as it found it: one that was already disabled stays disabled.
    """
    global _holders, _resume
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _resume:
                gc.enable()
