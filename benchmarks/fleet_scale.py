"""50 profiles, each with its own stored key, against the demo server: the Accounts screen.

In a real pty: the time until every profile's data has come from nothing (the fleet is
staggered one profile a second, so this is about 50 s by design), then resident memory and
idle CPU with all of it on screen; a second start on the same folders: the time until the
Accounts screen is painted with all 50 rows, and whether any row lacked its data from disk.
In-process, on a fake clock: the requests of one refresh interval in steady state, counted by
the demo server, as requests per minute for the fleet and per key.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.common import Figure, demo_server
from benchmarks.pty_app import PtyApp
from benchmarks.tui_speed import _bare, _env

PROFILES = 50
PY = sys.executable
NO_DATA = "no data yet"


def _keys() -> dict[str, str]:
    return {f"p{i:02d}": f"sk-admin-fleet-{i:02d}-0123456789" for i in range(PROFILES)}


@contextmanager
def _folders() -> Iterator[dict[str, str]]:
    scratch = tempfile.mkdtemp(prefix="venice-bench-fleet-")
    folders = {
        name: f"{scratch}/{part}"
        for name, part in (
            ("VENICE_TUI_CONFIG_DIR", "config"),
            ("VENICE_TUI_CACHE_DIR", "cache"),
            ("VENICE_TUI_STATE_DIR", "state"),
            ("VENICE_TUI_DATA_DIR", "data"),
        )
    }
    # A key in the environment (an earlier bench of this run sets one) would stand in for every
    # profile: the fleet would then show one profile alone.
    saved = {name: os.environ.get(name) for name in (*folders, "VENICE_API_KEY")}
    os.environ.update(folders)
    os.environ.pop("VENICE_API_KEY", None)
    try:
        from venice_tui.core import key_file

        key_file.write_keys(_keys())
        yield folders
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(scratch, ignore_errors=True)


def _stats(base_url: str) -> dict[str, object]:
    root = base_url.removesuffix("/api/v1")
    with urllib.request.urlopen(f"{root}/_demo/stats", timeout=5) as response:
        stats: dict[str, object] = json.loads(response.read())
    return stats


def _balances(base_url: str) -> int:
    by_path = _stats(base_url)["byPath"]
    assert isinstance(by_path, dict)
    return int(by_path.get("/api/v1/billing/balance", 0))


def _app(base_url: str, folders: dict[str, str]) -> PtyApp:
    env = _env(VENICE_BASE_URL=base_url, **folders)
    return PtyApp([PY, "-m", "venice_tui", "--profile", "p00"], env, cols=160, rows=64)


def measure(idle_seconds: float) -> list[Figure]:
    bare = _bare()
    bare.time_from_start("bare-screen-one")
    bare_rss = bare.rss_mib()
    bare.close()
    with demo_server() as url, _folders() as folders:
        app = _app(url, folders)
        try:
            app.time_from_start("live ·", timeout=60)
            app.press("0", "p49")
            deadline = time.perf_counter() + 120
            while _balances(url) < PROFILES and time.perf_counter() < deadline:
                app.drain(0.2)
            app.drain(1.0)
            filled = time.perf_counter() - app.started
            rss = app.rss_mib()
            idle = _idle(app, idle_seconds)
            app.press("1", "Top models")
            app.drain(2.0)
            idle_overview = _idle(app, idle_seconds)  # the baseline: the same app, one screen
        finally:
            app.close()
        again = _app(url, folders)
        try:
            os.write(again.fd, b"0")  # typed at once: the Accounts screen is the first seen
            painted = again.time_from_start("p49", timeout=60)
            again.drain(0.3)
            missing = NO_DATA in again.text
        finally:
            again.close()
        per_interval, interval = asyncio.run(_steady_requests(url))
    per_minute = per_interval * 60 / interval
    return [
        Figure(
            f"Accounts, {PROFILES} profiles: every row filled from nothing (staggered 1/s)",
            f"≤ {PROFILES + 15} s",
            f"{filled:.1f} s",
            "—",
            None,
            filled <= PROFILES + 15,
        ),
        Figure(
            f"Accounts, {PROFILES} profiles: first paint with every row from disk",
            "every row in the first paint",
            f"{painted * 1000:.0f} ms" + (", a row without data" if missing else ", all rows"),
            "—",
            None,
            not missing,
        ),
        Figure(
            f"Accounts, {PROFILES} profiles: requests per minute, steady state (fake clock)",
            "≤ 20 per key per minute",
            f"{per_minute:.1f}/min ({per_minute / (PROFILES - 1):.2f} per key)",
            "—",
            None,
            per_minute / (PROFILES - 1) <= 20,
        ),
        Figure(
            f"Accounts, {PROFILES} profiles: resident memory",
            "≤ 200 MiB",
            f"{rss:.0f} MiB",
            f"{bare_rss:.0f} MiB",
            rss / bare_rss,
            rss <= 200,
        ),
        Figure(
            f"Accounts, {PROFILES} profiles: idle CPU on the Accounts screen (vs the Overview)",
            "≤ 2% of one core",
            f"{idle * 100:.2f}%",
            f"{idle_overview * 100:.2f}%",
            idle / idle_overview if idle_overview else None,
            idle <= 0.02,
        ),
    ]


class _FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _idle(app: PtyApp, seconds: float) -> float:
    """The share of one core the app used over `seconds` of doing nothing asked of it."""
    cpu0, t0 = app.cpu_seconds(), time.perf_counter()
    app.drain(seconds)
    return (app.cpu_seconds() - cpu0) / (time.perf_counter() - t0)


async def _steady_requests(base_url: str) -> tuple[int, float]:
    """The requests of the 49 profiles not on screen over one interval, on a fake clock that
    jumps from one due time to the next (the profile on screen is left to its own timer)."""
    from venice_tui.api.period import Period
    from venice_tui.core.connection import Connection
    from venice_tui.core.fleet_schedule import OTHER_INTERVAL
    from venice_tui.core.settings import Settings
    from venice_tui.ui.run import build_app

    clock = _FakeMonotonic()
    settings = Settings(base_url=base_url, profile="p00", chosen_base_url=base_url)
    app = build_app(settings, Connection(settings), Period.lookback(7), 0, monotonic=clock)
    async with app.run_test(size=(160, 64)) as pilot:
        refresh = None
        while refresh is None or not app.fleet.disk_read:
            await pilot.pause(0.05)
            refresh = app.fleet_service.refresh
        for _ in range(2):  # one interval to fill (or refresh) every row, one to count
            start, end = _stats(base_url)["requests"], clock.now + OTHER_INTERVAL
            while (due := refresh.schedule.next_due()) is not None and due < end:
                clock.now = max(clock.now, due)
                app.fleet_service.tick()
                while any(w.group.startswith("fleet:") and w.is_running for w in app.workers):
                    await pilot.pause(0.01)
            clock.now = end
        asked = _stats(base_url)["requests"]
        assert isinstance(asked, int) and isinstance(start, int)
    return asked - start, OTHER_INTERVAL
