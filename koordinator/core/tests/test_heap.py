"""The server process's garbage collector settings (koordinator.core.heap)."""

from __future__ import annotations

import gc
import importlib

from koordinator.core import heap


def test_the_entry_points_settle_the_heap() -> None:
    before = gc.get_threshold()
    try:
        for module in ("koordinator.wsgi", "koordinator.asgi"):
            gc.unfreeze()
            gc.set_threshold(*before)
            importlib.reload(importlib.import_module(module))
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[0] == heap.GEN0_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
