"""The garbage collector and the event loop. A full collection walks every object the process
tracks; on a 2-core machine under load, a walk over the dashboard's ~125,000 (widgets, styles,
render caches) stalled the event loop 100-270 ms, about once a second while History answered
keystrokes (measured with `gc.callbacks` during `benchmarks/ledger_speed.py`). What exists
once the dashboard is up lives as long as the app: frozen, the collector no longer walks it,
and a full collection costs what was made since (11-80 ms in the same run)."""

from __future__ import annotations

import gc

_frozen = False


def freeze_what_is_built() -> None:
    """Once per process: what is alive now is left out of every later collection (an object
    frozen here that dies in a reference cycle is never freed: only do this once the screens
    are built, not per page)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
