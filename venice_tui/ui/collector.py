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


#: Young collections between two full ones (Python's own is 10). A full collection walks what
#: lives unfrozen, mostly Textual's render caches (a `Strip` and its three caches for each line
#: drawn: ~30,000 objects on History), 10-60 ms on a busy 2-core machine; every 10th young one
#: brought one about every fourth keystroke on History, often in the middle of a paint.
FULL_EVERY = 100


_DEFAULT = gc.get_threshold()


def spread_full_collections() -> None:
    """Full collections ten times rarer (they still come: garbage in cycles is freed)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)


def restore_collector() -> None:
    """The collector as it was before the app: nothing frozen, Python's thresholds."""
    gc.set_threshold(*_DEFAULT)
    thaw()


def collect_if_due() -> None:
    """A full collection now, while nobody waits for the screen (the person stopped typing),
    if a young one ran since the last: the next is then a whole `FULL_EVERY` away."""
    if gc.get_count()[2]:
        gc.collect()
