"""Start-up marks for the bench: with VENICE_TUI_BENCH_MARKS=<path>, the first time each named
point is reached its monotonic time (the clock every process shares) is appended to that file.
Off by default (one dictionary lookup), never on the screen; only `benchmarks/` reads the file."""

from __future__ import annotations

import os
import sys
import time

_PATH = os.environ.get("VENICE_TUI_BENCH_MARKS")
_seen: set[str] = set()


def mark(name: str) -> None:
    if _PATH is None or name in _seen:
        return
    _seen.add(name)
    with open(_PATH, "a", encoding="utf-8") as marks:
        marks.write(f"{time.monotonic():.6f} {name}\n")


def mark_modules(name: str) -> None:
    """The modules loaded so far (the bench times their imports apart with -X importtime)."""
    if _PATH is None or name in _seen:
        return
    mark(name)
    with open(_PATH, "a", encoding="utf-8") as marks:
        marks.write(f"modules {' '.join(sorted(sys.modules))}\n")


_counts: dict[str, int] = {}


def mark_each(name: str) -> None:
    """`name 1`, `name 2`, …: a point reached more than once (a refresh restarted)."""
    if _PATH is None:
        return
    _counts[name] = _counts.get(name, 0) + 1
    mark(f"{name} {_counts[name]}")
