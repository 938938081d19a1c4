"""Where the data on screen came from. A bottom module: the store, its slices and the disk
cache all name it, and none of them needs the others for it."""

from __future__ import annotations

import enum


class Source(enum.Enum):
    LIVE = "live"
    CACHED = "cached"
    DEMO = "demo"
