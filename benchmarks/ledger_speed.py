"""The ledger with a million rows: `sync` of the demo-server's `--big` ledger (rows per second,
paced as shipped, and the walk unpaced), the archive's size on disk per million rows, and
History's first paint and scrolling over it (the event loop's longest stall)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, demo_server
from benchmarks.stall import StallMonitor
from tests.harness import settle
from venice_tui.api.period import Period, utc_now
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger_sync import LedgerWalk
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app

KEY = "sk-admin-benchmark-ledger"


def _archive_file(folder: str) -> Path:
    (found,) = Path(folder, "data").glob("archive-*.sqlite3")
    return found


def _size_on_disk(path: Path) -> int:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _unpaced(base_url: str, folder: str) -> tuple[int, float]:
    """The same walk without the pause between pages: what the client and archive can do."""
    archive = Archive(Path(folder) / "unpaced.sqlite3")
    walk = LedgerWalk(archive, utc_now())
    start = time.perf_counter()
    with VeniceSyncClient(ApiKey(KEY), base_url) as client:
        while (call := walk.next_call()) is not None:
            walk.take(client.ledger(call))
    return walk.seen, time.perf_counter() - start


async def _history(base_url: str) -> tuple[float, float, str]:
    os.environ["VENICE_API_KEY"] = KEY
    settings = Settings(base_url=base_url, profile="default")
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    monitor = StallMonitor()
    async with app.run_test(size=(160, 48)) as pilot:
        while app.store.snapshot is None or app.store.snapshot.source.value != "live":
            await pilot.pause(0.05)
        await settle(pilot)
        monitor.start()
        monitor.label = "first paint"
        start = time.perf_counter()
        await pilot.press("4")
        await settle(pilot, rounds=3000)
        first_paint = time.perf_counter() - start
        for key in ("pagedown",) * 20 + ("end", "home"):
            monitor.label = f"scroll ({key})"
            await pilot.press(key)
            await settle(pilot, rounds=3000)
        monitor.label = "filter keystrokes"
        await pilot.press("slash", *"glm")
        await settle(pilot, rounds=3000)
        monitor.label = "sort"
        await pilot.press("enter", "s", "s", "s")
        await settle(pilot, rounds=3000)
        monitor.label = "day before"
        await pilot.press("left_square_bracket")
        await settle(pilot, rounds=3000)
        monitor.stop()
    return first_paint, monitor.worst, monitor.worst_at


def measure() -> list[Figure]:
    script = str(Path(sys.executable).with_name("venice-tui"))
    with tempfile.TemporaryDirectory() as folder, demo_server("--big") as base_url:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("VENICE_")},
            "VENICE_API_KEY": KEY,
            "VENICE_BASE_URL": base_url,
            "VENICE_TUI_DATA_DIR": f"{folder}/data",
            "VENICE_TUI_CACHE_DIR": f"{folder}/cache",
            "VENICE_TUI_CONFIG_DIR": f"{folder}/config",
            "VENICE_TUI_STATE_DIR": f"{folder}/state",
        }
        start = time.perf_counter()
        subprocess.run([script, "sync"], env=env, check=True, stdout=subprocess.DEVNULL)
        sync_s = time.perf_counter() - start
        path = _archive_file(folder)
        with sqlite3.connect(path) as db:
            (rows,) = db.execute("SELECT COUNT(*) FROM ledger").fetchone()
        size = _size_on_disk(path)
        seen, unpaced_s = _unpaced(base_url, folder)
        os.environ.update(
            VENICE_TUI_DATA_DIR=env["VENICE_TUI_DATA_DIR"],
            VENICE_TUI_CACHE_DIR=env["VENICE_TUI_CACHE_DIR"],
            VENICE_TUI_CONFIG_DIR=env["VENICE_TUI_CONFIG_DIR"],
            VENICE_TUI_STATE_DIR=env["VENICE_TUI_STATE_DIR"],
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        first_paint, worst, where = asyncio.run(_history(base_url))
    return [
        Figure(
            f"sync of the --big ledger ({rows:,} rows)",
            "(rows per second; paced at 10 pages/s)",
            f"{rows / sync_s:,.0f} rows/s",
            f"{sync_s:.0f} s",
            None,
            True,
        ),
        Figure(
            "the same walk unpaced (client + archive)",
            "(for reference)",
            f"{seen / unpaced_s:,.0f} rows/s",
            f"{unpaced_s:.0f} s",
            None,
            True,
        ),
        Figure(
            "archive size on disk",
            "(per million ledger rows)",
            f"{size / rows * 1e6 / 2**20:,.0f} MiB",
            f"{size / 2**20:,.0f} MiB for {rows:,} rows",
            None,
            True,
        ),
        Figure(
            "History first paint, a million rows",
            "(time to a full screen)",
            f"{first_paint * 1000:.0f} ms",
            "—",
            None,
            True,
        ),
        Figure(
            f"History longest event-loop stall ({where})",
            "≤ 50 ms",
            f"{worst * 1000:.0f} ms",
            "—",
            None,
            worst <= 0.050,
        ),
    ]
