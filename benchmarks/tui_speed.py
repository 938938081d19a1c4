"""The TUI in a real pty: time to first data, screen switches, idle CPU and memory.

Each figure comes with a baseline measured in the same run: a bare Textual app
(`benchmarks/bare_app.py`) that shows one line and switches between three screens.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.common import Figure, demo_server
from benchmarks.pty_app import PtyApp
from benchmarks.startup_parts import Marks, print_import_costs, print_parts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable
#: Compiled bytecode as an installed program has it (pip compiles on install), even where the
#: shell says PYTHONDONTWRITEBYTECODE: else every start compiles each module from source,
#: which costs more than all else start-up does. Kept out of the tree, under .tools/.
PYCACHE = os.path.join(ROOT, ".tools", "bench-pycache")
# Text each screen shows only once its data is drawn.
MARK_OVERVIEW, MARK_MODELS, MARK_KEYS = "Top models", "Cache Read", "Last used"


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE") and not k.startswith("VENICE")
    }
    env.update(
        TERM="xterm-256color",
        PYTHONPATH=ROOT,
        PYTHONPYCACHEPREFIX=PYCACHE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.update(extra)
    return env


def _bare(marks: Marks | None = None) -> PtyApp:
    return PtyApp([PY, "-m", "benchmarks.bare_app"], _env(**(marks.env() if marks else {})))


@contextmanager
def _ours(
    base_url: str, *args: str, cache: str | None = None, marks: Marks | None = None
) -> Iterator[PtyApp]:
    folder = cache or tempfile.mkdtemp(prefix="venice-bench-")
    env = _env(
        VENICE_API_KEY="sk-admin-benchmark",
        VENICE_BASE_URL=base_url,
        VENICE_TUI_CACHE_DIR=folder,
        VENICE_TUI_CONFIG_DIR=folder,
        VENICE_TUI_STATE_DIR=folder,
        VENICE_TUI_DATA_DIR=folder,
        **(marks.env() if marks else {}),
    )
    app = PtyApp([PY, "-m", "venice_tui", *args], env)
    try:
        yield app
    finally:
        app.close()
        if cache is None:
            shutil.rmtree(folder, ignore_errors=True)


def first_data(repeats: int) -> list[Figure]:
    """Bare, cold and warm runs take turns, so a busy moment of the machine hits all three."""
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "ours, on disk": [], "ours, cold": []}
    modules: dict[str, list[str]] = {}
    cache = tempfile.mkdtemp(prefix="venice-bench-cache-")
    with demo_server() as url:
        with _ours(url, "--lookback", "30d", cache=cache) as app:  # leaves the cache warm
            app.time_from_start(MARK_OVERVIEW)
            app.time_from_start("live ·")
            app.drain(1)  # the screens prepared after the first paint are compiled too
        app = _bare()  # its bytecode compiled
        app.time_from_start("bare-screen-one")
        app.close()
        for _ in range(repeats):
            marks = Marks()
            app = _bare(marks)
            runs["bare"].append(marks.read(app, app.time_from_start("bare-screen-one")))
            app.close()
            modules["bare"] = marks.modules
            marks = Marks()
            with _ours(url, "--lookback", "30d", cache=cache, marks=marks) as app:
                seen = app.time_from_start(MARK_OVERVIEW)
            runs["ours, on disk"].append(marks.read(app, seen))
            modules["ours, on disk"] = marks.modules
            marks = Marks()
            with _ours(url, "--lookback", "30d", marks=marks) as app:
                seen = app.time_from_start(MARK_OVERVIEW)
            runs["ours, cold"].append(marks.read(app, seen))
    shutil.rmtree(cache, ignore_errors=True)
    print_parts(runs)
    print_import_costs(modules, _env())
    base = statistics.median(r["on screen"] for r in runs["bare"])
    warm_s = statistics.median(r["on screen"] for r in runs["ours, on disk"])
    cold_s = statistics.median(r["on screen"] for r in runs["ours, cold"])
    return [
        Figure(
            "time to first data (last data on disk)",
            "≤ 1.3× bare app",
            f"{warm_s * 1000:.0f} ms",
            f"{base * 1000:.0f} ms",
            warm_s / base,
            warm_s / base <= 1.3,
        ),
        Figure(
            "time to first data (first launch, no cache)",
            "≤ 1.6× bare app",
            f"{cold_s * 1000:.0f} ms",
            f"{base * 1000:.0f} ms",
            cold_s / base,
            cold_s / base <= 1.6,
        ),
    ]


def _switches(app: PtyApp, marks: dict[str, str], rounds: int) -> tuple[list[float], list[float]]:
    first = [app.press(key, marks[key]) for key in ("2", "3", "1")]
    again = []
    for _ in range(rounds):
        for key in ("2", "3", "1"):
            app.drain(0.3)
            again.append(app.press(key, marks[key]))
    return first, again


#: (--refresh, goal as a share of one core); each measured over `IDLE_CYCLES` refreshes at least.
IDLE_GOALS = ((10, 0.01), (60, 0.005))
IDLE_CYCLES = 2


def _idle_cpu(refresh: int, seconds: float) -> float:
    """The share of one core the dashboard uses while nothing changes: the demo server answers
    as Venice does, the same bytes for 10 minutes (a window may end during the run, once)."""
    with (
        demo_server("--venice-cache", "10") as url,
        _ours(url, "--lookback", "30d", "--refresh", str(refresh)) as app,
    ):
        app.time_from_start(MARK_OVERVIEW)
        app.drain(3)
        cpu0, t0 = app.cpu_seconds(), time.perf_counter()
        app.drain(seconds)
        return (app.cpu_seconds() - cpu0) / (time.perf_counter() - t0)


def switches_memory_idle(rounds: int, idle_seconds: float) -> list[Figure]:
    bare = _bare()
    bare.time_from_start("bare-screen-one")
    bare_first, bare_again = _switches(
        bare, {"1": "bare-screen-one", "2": "bare-screen-two", "3": "bare-screen-three"}, rounds
    )
    bare_rss = bare.rss_mib()
    bare.drain(2)
    cpu0 = bare.cpu_seconds()
    bare.drain(idle_seconds)
    bare_idle = (bare.cpu_seconds() - cpu0) / idle_seconds
    bare.close()
    base, base_first = statistics.median(bare_again), max(bare_first[:2])
    figures = []
    with demo_server("--big") as url, _ours(url, "--lookback", "90d") as app:
        app.time_from_start("live ·", timeout=60)
        app.drain(2)
        first, again = _switches(
            app, {"1": MARK_OVERVIEW, "2": MARK_MODELS, "3": MARK_KEYS}, rounds
        )
        app.drain(2)
        rss = app.rss_mib()
    ours = statistics.median(again)
    first_visit = max(first[:2])  # Models and API Keys; the Overview was built at start
    figures.append(
        Figure(
            "first visit of a screen, big account (worst of Models, API Keys)",
            "≤ 2× bare first visit",
            f"{first_visit * 1000:.0f} ms",
            f"{base_first * 1000:.0f} ms",
            first_visit / base_first,
            first_visit / base_first <= 2,
        )
    )
    figures.append(
        Figure(
            "later visits of a screen, big account (90 d, 300 models, 1,000 keys)",
            "≤ 1.5× bare switch",
            f"{ours * 1000:.0f} ms",
            f"{base * 1000:.0f} ms",
            ours / base,
            ours / base <= 1.5,
        )
    )
    figures.append(
        Figure(
            "resident memory, big account, all screens visited",
            "≤ 150 MiB",
            f"{rss:.0f} MiB",
            f"{bare_rss:.0f} MiB",
            rss / bare_rss,
            rss <= 150,
        )
    )
    for refresh, goal in IDLE_GOALS:
        idle = _idle_cpu(refresh, max(idle_seconds, IDLE_CYCLES * refresh + 1))
        figures.append(
            Figure(
                f"idle CPU, live at --refresh {refresh}, answers unchanged",
                f"≤ {goal * 100:g}% of one core",
                f"{idle * 100:.2f}%",
                f"{bare_idle * 100:.2f}%",
                idle / bare_idle if bare_idle else None,
                idle <= goal,
            )
        )
    return figures
