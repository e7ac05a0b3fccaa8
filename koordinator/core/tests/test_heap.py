"""The server process's garbage collector settings (koordinator.core.heap)."""

from __future__ import annotations

import gc
import importlib
import sys

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


def test_the_views_are_loaded_before_the_freeze() -> None:
    """What the first request would import (every view, the API's schemas) is frozen with the
    rest, so that no worker's full collection walks it again."""
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        heap.settle()
        assert "koordinator.control.views" in sys.modules
        assert "koordinator.api.api" in sys.modules
        assert len(gc.get_objects()) < gc.get_freeze_count() / 4
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
