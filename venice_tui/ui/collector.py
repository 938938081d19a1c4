"""The garbage collector and the event loop. A full collection walks every object the process
tracks; on a 2-core machine under load, a walk over the dashboard's ~125,000 (widgets, styles,
render caches) stalled the event loop 60-270 ms, about once a second while History answered
keystrokes (measured with `gc.callbacks` during `benchmarks/ledger_speed.py`). What exists
once a screen is built lives as long as it: frozen, the collector no longer walks it, and a
full collection costs what was made since (11-80 ms in the same run).

The app freezes after its first paint (the first screen, and every module imported so far: a
full collection walked ~90,000 objects there, 114 ms, before History was ever shown); History
freezes when it is built and after its first page, and thaws when it goes (the end of the
app): an object frozen there that dies in a reference cycle is freed then, not lost. Freezing
after every page was tried: it kept ~1,300 objects of cyclic garbage a page until the thaw."""

from __future__ import annotations

import gc


def freeze_what_is_built() -> None:
    """What is alive now is left out of the collections to come."""
    gc.freeze()


def thaw() -> None:
    """Everything frozen is walked again (and what died meanwhile is freed)."""
    gc.unfreeze()


def collect_if_due() -> None:
    """A full collection now, while nobody waits for the screen (the person stopped typing),
    if a young one ran since the last: the next automatic one is then ten young ones away, not
    in the middle of the next keystroke's paint. Making them rarer (every 100th young one, not
    every 10th) was tried: fewer but larger (32-62 ms against 3-20 ms), the worse for the
    longest stall."""
    if gc.get_count()[2]:
        gc.collect()
