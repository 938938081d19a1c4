"""Shared helpers: a demo-server on loopback, medians, and a table printer."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    goal: str
    measured: str
    baseline: str
    ratio: float | None
    ok: bool


def median_seconds(run: Callable[[], object], repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


@contextmanager
def demo_server(*extra: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "venice_tui", "demo-server", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        yield line.split()[2]
    finally:
        process.terminate()
        process.wait(timeout=10)


def cli_env(scratch: str, base_url: str, key: str) -> dict[str, str]:
    """The environment of a CLI run against `base_url`: no VENICE_* of the shell, folders of
    its own under `scratch`."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("VENICE_")},
        "VENICE_API_KEY": key,
        "VENICE_BASE_URL": base_url,
        "VENICE_TUI_CONFIG_DIR": f"{scratch}/config",
        "VENICE_TUI_CACHE_DIR": f"{scratch}/cache",
        "VENICE_TUI_STATE_DIR": f"{scratch}/state",
        "VENICE_TUI_DATA_DIR": f"{scratch}/data",
    }


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def print_table(figures: list[Figure]) -> None:
    header = ("figure", "goal", "measured", "baseline", "ratio", "meets goal")
    rows = [
        (
            f.name,
            f.goal,
            f.measured,
            f.baseline,
            f"{f.ratio:.2f}×" if f.ratio else "—",
            "yes" if f.ok else "NO",
        )
        for f in figures
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(f"\nmachine: {machine()}")
