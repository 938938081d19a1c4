"""Start-up split into named parts, for the bare app and ours, so the gap has names.

Each run in the pty gets VENICE_TUI_BENCH_MARKS=<file>: the program appends the monotonic time
of named points to it (`venice_tui/core/marks.py`, `benchmarks/bare_app.py`); the bench adds
the fork (the start) and the moment its mark showed in the pty (first paint). A part is the
time between two consecutive points that both programs (or only ours) reach. Which packages the
imports cost is told apart with `python -X importtime` over the modules loaded at first paint.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

from benchmarks.pty_app import PtyApp

#: The points, in the order they are reached; a run that does not reach one skips it.
POINTS = (
    ("interpreter ready", "interpreter start"),
    ("dashboard imported", "imports (argparse, settings, Textual, the app)"),
    ("app built, last data read from disk", "app built + last data read from disk"),
    ("app built", "app built"),
    ("app mounted", "compose and mount"),
    ("first frame", "first frame drawn"),
    ("first screen painted", "first screen painted"),
    ("overview mounted", "overview composed and mounted"),
    ("overview filling", "overview asked to show data"),
    ("key found, client made", "key found, HTTP client made"),
    ("refresh started 1", "until the first fetch starts"),
    ("new key placed", "new key placed (by the first refresh's key list)"),
    ("refresh started 2", "until the fetch restarts"),
    ("refresh ended 1", "fetch"),
    ("refresh ended 2", "fetch"),
    ("cached data painted", "data drawn (from disk)"),
    ("live data painted", "data drawn (fetched)"),
    ("demo data painted", "data drawn (demo)"),
    ("data painted", "data drawn"),
    ("on screen", "until seen in the pty"),
)


class Marks:
    """A fresh marks file for one run; `read` gives {point: seconds since the fork}."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="venice-bench-marks-")
        os.close(handle)
        self.modules: list[str] = []

    def env(self) -> dict[str, str]:
        return {"VENICE_TUI_BENCH_MARKS": self.path}

    def read(self, app: PtyApp, seen_after: float) -> dict[str, float]:
        points = {"on screen": seen_after}
        with open(self.path, encoding="utf-8") as marks:
            for line in marks:
                first, _, rest = line.rstrip("\n").partition(" ")
                if first == "modules":
                    self.modules = rest.split()
                else:
                    points.setdefault(rest, float(first) - app.started_monotonic)
        os.unlink(self.path)
        return points


def parts(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median seconds of each part over `runs` (a part: from the point before to this one)."""
    samples: defaultdict[str, list[float]] = defaultdict(list)
    for points in runs:
        before = 0.0
        for point, at in sorted(points.items(), key=lambda item: item[1]):
            samples[point].append(at - before)
            before = at
    return {point: statistics.median(values) for point, values in samples.items()}


def print_parts(columns: dict[str, list[dict[str, float]]]) -> None:
    medians = {name: parts(runs) for name, runs in columns.items()}
    totals = {
        name: statistics.median(r["on screen"] for r in runs) for name, runs in columns.items()
    }
    width = max(len(label) for _, label in POINTS)
    print("start-up, in parts (ms, median of each part; parts end at the point named):")
    print("  " + "part".ljust(width) + "".join(f"{name:>16}" for name in columns))
    for point, label in POINTS:
        if not any(point in m for m in medians.values()):
            continue
        cells = [
            f"{m[point] * 1000:16.0f}" if point in m else f"{'—':>16}" for m in medians.values()
        ]
        print("  " + label.ljust(width) + "".join(cells))
    cells = [f"{t * 1000:16.0f}" for t in totals.values()]
    print("  " + "total: first data on screen".ljust(width) + "".join(cells))
    cells = [
        f"{sum('cached data painted' in r for r in runs):>14}/{len(runs)}"
        for runs in columns.values()
    ]
    print("  " + "runs whose first data came from disk".ljust(width) + "".join(cells), flush=True)


def import_costs(modules: list[str], env: dict[str, str], repeats: int = 3) -> Counter[str]:
    """Milliseconds that importing `modules` costs, by top-level package (median of runs)."""
    wanted = [m for m in modules if not m.startswith(("__", "benchmarks")) and m != "site"]
    code = (
        "import importlib, sys\n"
        f"for name in {wanted!r}:\n"
        "    try: importlib.import_module(name)\n"
        "    except Exception: pass\n"
    )
    runs: defaultdict[str, list[float]] = defaultdict(list)
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        totals: Counter[str] = Counter()
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = line[len("import time:") :].split("|")
            totals[name.strip().split(".")[0]] += int(self_us) / 1000
        for package, ms in totals.items():
            runs[package].append(ms)
    return Counter({p: statistics.median(v + [0.0] * (repeats - len(v))) for p, v in runs.items()})


def print_import_costs(columns: dict[str, list[str]], env: dict[str, str], top: int = 12) -> None:
    costs = {name: import_costs(modules, env) for name, modules in columns.items()}
    packages: Counter[str] = Counter()
    for cost in costs.values():
        packages.update(cost)
    print("imports loaded by the first data on screen, by package (ms, python -X importtime):")
    print("  " + "package".ljust(20) + "".join(f"{name:>16}" for name in columns))
    shown = [p for p, _ in packages.most_common(top)]
    for package in shown:
        print("  " + package.ljust(20) + "".join(f"{c[package]:16.1f}" for c in costs.values()))
    rest = [sum(v for p, v in c.items() if p not in shown) for c in costs.values()]
    print("  " + "everything else".ljust(20) + "".join(f"{r:16.1f}" for r in rest))
    sums = [sum(c.values()) for c in costs.values()]
    print("  " + "total".ljust(20) + "".join(f"{s:16.1f}" for s in sums), flush=True)
