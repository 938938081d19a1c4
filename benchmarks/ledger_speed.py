"""The ledger with a million rows: `sync` of the demo-server's `--big` ledger (rows per second,
paced as shipped, and the walk unpaced), the archive's size on disk per million rows, and
History over it: first paint, scrolling, and the latency of a filter (a SKU substring, a
request-id substring), a sort and a `[`/`]` day step from the keystroke to the page on screen,
median and p95, with the event loop's longest stall throughout.

`python -m benchmarks.ledger_speed --keep FOLDER` syncs into FOLDER once (a real sync, over a
fixed port so that the account's files are found again) and reuses it on later runs: for
iterating on History without two minutes of sync each time. `--sample` adds where the longest
stalls were spent (`stall_sampler`), on stderr."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot

from benchmarks.common import Figure, demo_server, print_table
from benchmarks.stall import StallMonitor
from benchmarks.stall_sampler import StallSampler
from tests.harness import settle
from venice_tui.api.period import Period, utc_now
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger_sync import LedgerWalk
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app
from venice_tui.ui.screens.history import HistoryScreen
from venice_tui.ui.widgets.lazy_grid import LazyGrid

KEY = "sk-admin-benchmark-ledger"
#: The port of a kept archive's server (its files are named by the server's address).
KEEP_PORT = "47311"
#: History's goals (issue 22), in seconds.
MEDIAN_GOAL, P95_GOAL, STALL_GOAL = 0.150, 0.300, 0.050


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


class Latencies:
    """Keystroke to page on screen, per kind of step."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}

    def figures(self) -> list[Figure]:
        found = []
        for name, samples in self.samples.items():
            ordered = sorted(samples)
            median = statistics.median(ordered)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            found.append(
                Figure(
                    f"History {name} (keystroke to page, n={len(ordered)})",
                    "≤ 150 ms median, ≤ 300 ms p95",
                    f"{median * 1000:.0f} ms median, {p95 * 1000:.0f} ms p95",
                    "—",
                    None,
                    median <= MEDIAN_GOAL and p95 <= P95_GOAL,
                )
            )
        return found


def _page_shown(screen: HistoryScreen, before: object) -> bool:
    """A new page is on screen and its first rows are read (not placeholders)."""
    if screen.page is before or not screen.is_up_to_date:
        return False
    grid = screen.query_one(LazyGrid)
    return grid.visible_count == 0 or "…" not in grid.rows[0].cells[0]


#: The characters of the keys the bench times (Textual's own names for them).
CHARACTERS = {"left_square_bracket": "[", "right_square_bracket": "]", "escape": "\x1b"}


def _send_key(app: App[int], key: str) -> None:
    """The key as the terminal driver delivers it, without `Pilot.press`'s wait for the
    process to go idle (up to a second, which would be measured too)."""
    event = events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None))
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def _timed(
    pilot: Pilot[int], screen: HistoryScreen, keys: tuple[str, ...], last: str
) -> float:
    """Press `keys` (not timed), then `last`: the seconds until its page is on screen."""
    if keys:
        await pilot.press(*keys)
    before = screen.page
    start = time.perf_counter()
    _send_key(pilot.app, last)
    while not _page_shown(screen, before):
        if time.perf_counter() - start > 60:
            raise TimeoutError(f"no page after {last!r}")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


def _request_id_pieces(path: Path) -> tuple[str, str]:
    """Eight characters inside the part of a request id of the last hour that tells it from
    the others (as one would look a request up), and eight of the part most ids share (the
    demo's ids are `chatcmpl-req-b4a6f01d000055`: the filter as one types such an id)."""
    with sqlite3.connect(path) as db:
        (rid,) = db.execute(
            "SELECT request_id FROM ledger WHERE request_id IS NOT NULL "
            "AND ts > (SELECT MAX(ts) FROM ledger) - 3600000 LIMIT 1"
        ).fetchone()
    text = str(rid)
    return text[-9:-1], text[-19:-11]


async def _history(
    base_url: str, pieces: tuple[str, str], repeats: int, sample: bool = False
) -> tuple[float, float, StallMonitor, Latencies]:
    os.environ["VENICE_API_KEY"] = KEY
    settings = Settings(base_url=base_url, chosen_base_url=base_url, profile="default")
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    monitor = StallMonitor()
    latencies = Latencies()
    async with app.run_test(size=(160, 48)) as pilot:
        while app.store.snapshot is None or app.store.snapshot.source.value != "live":
            await pilot.pause(0.05)
        await settle(pilot)
        monitor.start()
        sampler = StallSampler(monitor) if sample else None
        if sampler is not None:
            sampler.start()
        monitor.label = "first paint"
        start = time.perf_counter()
        await pilot.press("4")
        await settle(pilot, rounds=3000)
        first_paint = time.perf_counter() - start
        first_stall = monitor.worst
        monitor.reset()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        for key in ("pagedown",) * 20 + ("end", "home"):
            monitor.label = f"scroll ({key})"
            await pilot.press(key)
            await settle(pilot, rounds=3000)

        def sample(name: str) -> Callable[[float], None]:
            return latencies.samples.setdefault(name, []).append

        unique, shared = pieces
        for name, text in (
            ("SKU filter 'kimi'", "kimi"),
            (f"request-id filter {unique!r} (one request)", unique),
            (f"request-id filter {shared!r} (most rows)", shared),
        ):
            monitor.label = name
            for _ in range(repeats):
                sample(name)(await _timed(pilot, screen, ("slash", *text[:-1]), text[-1]))
                await settle(pilot, rounds=3000)
                await _timed(pilot, screen, (), "escape")
                await settle(pilot, rounds=3000)
        monitor.label = "sort"
        for _ in range(repeats):
            for last in ("s", "s", "s", "s", "S", "s"):
                sample("sort (s, S)")(await _timed(pilot, screen, (), last))
                await settle(pilot, rounds=3000)
        monitor.label = "day step"
        for _ in range(repeats):
            for last in ("left_square_bracket",) * 3 + ("right_square_bracket",) * 3:
                sample("day step ([, ])")(await _timed(pilot, screen, (), last))
                await settle(pilot, rounds=3000)
        monitor.stop()
        if sampler is not None:
            sampler.stop()
            print(sampler.report(), file=sys.stderr)
    return first_paint, first_stall, monitor, latencies


def _history_figures(
    first_paint: float, first_stall: float, monitor: StallMonitor, latencies: Latencies
) -> list[Figure]:
    return [
        Figure(
            "History first paint, a million rows",
            "(time to a full screen)",
            f"{first_paint * 1000:.0f} ms",
            "—",
            None,
            True,
        ),
        Figure(
            "History longest event-loop stall, first visit",
            "≤ 50 ms",
            f"{first_stall * 1000:.0f} ms",
            "—",
            None,
            first_stall <= STALL_GOAL,
        ),
        *latencies.figures(),
        Figure(
            f"History longest event-loop stall, keystrokes ({monitor.worst_at})",
            "≤ 50 ms",
            f"{monitor.worst * 1000:.0f} ms ({monitor.over(STALL_GOAL)} over 50 ms, "
            f"{monitor.over(0.030)} over 30)",
            "—",
            None,
            monitor.worst <= STALL_GOAL,
        ),
    ]


def _env(folder: str, base_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("VENICE_")},
        "VENICE_API_KEY": KEY,
        "VENICE_BASE_URL": base_url,
        "VENICE_TUI_DATA_DIR": f"{folder}/data",
        "VENICE_TUI_CACHE_DIR": f"{folder}/cache",
        "VENICE_TUI_CONFIG_DIR": f"{folder}/config",
        "VENICE_TUI_STATE_DIR": f"{folder}/state",
    }


@contextmanager
def _app_env(env: dict[str, str]) -> Iterator[None]:
    """This process's environment as the CLI's, for the app run in it."""
    names = [n for n in env if n.startswith("VENICE_TUI_")] + ["PYTHON_KEYRING_BACKEND"]
    saved = {n: os.environ.get(n) for n in names}
    os.environ.update({n: env[n] for n in names if n in env})
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _sync(env: dict[str, str]) -> float:
    script = str(Path(sys.executable).with_name("venice-tui"))
    start = time.perf_counter()
    subprocess.run([script, "sync"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(repeats: int = 5) -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder, demo_server("--big") as base_url:
        env = _env(folder, base_url)
        sync_s = _sync(env)
        path = _archive_file(folder)
        with sqlite3.connect(path) as db:
            (rows,) = db.execute("SELECT COUNT(*) FROM ledger").fetchone()
        size = _size_on_disk(path)
        seen, unpaced_s = _unpaced(base_url, folder)
        with _app_env(env):
            history = asyncio.run(_history(base_url, _request_id_pieces(path), repeats))
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
        *_history_figures(*history),
    ]


def measure_kept(folder: str, repeats: int, sample: bool = False) -> list[Figure]:
    """History's figures over the archive kept in `folder` (synced into it on the first run)."""
    with demo_server("--big", "--port", KEEP_PORT) as base_url:
        env = _env(folder, base_url)
        if not list(Path(folder, "data").glob("archive-*.sqlite3")):
            _sync(env)
        with _app_env(env):
            path = _archive_file(folder)
            pieces = _request_id_pieces(path)
            history = asyncio.run(_history(base_url, pieces, repeats, sample))
    return _history_figures(*history)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    count = int(arguments[arguments.index("--repeats") + 1]) if "--repeats" in arguments else 5
    if "--keep" in arguments:
        folder = arguments[arguments.index("--keep") + 1]
        print_table(measure_kept(folder, count, "--sample" in arguments))
    else:
        print_table(measure(count))
