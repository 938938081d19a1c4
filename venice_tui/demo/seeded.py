"""Seeded randomness without state: the same integers always give the same numbers, so every
part of the demo (usage, ledger, keys) can ask for a day's story on its own and agree."""

from __future__ import annotations

import math

_MASK64 = (1 << 64) - 1


def unit(*parts: int) -> float:
    """A uniform float in [0, 1) from integers (splitmix64 over the parts)."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = (x ^ (part & _MASK64)) * 0xBF58476D1CE4E5B9 & _MASK64
        x = (x ^ (x >> 31)) * 0x94D049BB133111EB & _MASK64
        x ^= x >> 29
    return (x >> 11) / float(1 << 53)


def noise(sigma: float, *parts: int) -> float:
    """A log-normal-ish factor around 1 (sum of three uniforms approximates a normal)."""
    gauss = (unit(*parts, 1) + unit(*parts, 2) + unit(*parts, 3) - 1.5) * 2.0
    return math.exp(sigma * gauss)
