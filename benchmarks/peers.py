"""`make bench-peers` (optional, not in CI nor in `make bench`): first paint of a peer Textual
app beside the bare app and ours, in the same pty harness and the same run.

Frogmouth (a Markdown browser: its welcome page is static) is installed at a pinned version
into a throwaway venv under .tools/peers, from PyPI, on first use.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchmarks.common import demo_server, machine
from benchmarks.pty_app import PtyApp
from benchmarks.tui_speed import MARK_OVERVIEW, ROOT, _bare, _env, _ours

FROGMOUTH = "0.9.2"
VENV = os.path.join(ROOT, ".tools", "peers")
FROGMOUTH_MARK = "Welcome to Frogmouth"


def _frogmouth_venv() -> str:
    """The venv's frogmouth command, installed when missing or at another version."""
    stamp = os.path.join(VENV, f"frogmouth-{FROGMOUTH}")
    command = os.path.join(VENV, "bin", "frogmouth")
    if not os.path.exists(stamp):
        shutil.rmtree(VENV, ignore_errors=True)
        print(f"installing frogmouth {FROGMOUTH} into {VENV} …", flush=True)
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", VENV], check=True)
        subprocess.run(
            [os.path.join(VENV, "bin", "python"), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", f"frogmouth=={FROGMOUTH}"],
            check=True,
        )  # fmt: skip
        open(stamp, "w").close()
    return command


def _frogmouth(command: str, home: str) -> PtyApp:
    env = _env(HOME=home, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
    env.pop("PYTHONPATH", None)
    return PtyApp([command], env)


def main(argv: list[str]) -> int:
    repeats = 3 if "--quick" in argv else 7
    command = _frogmouth_venv()
    home = tempfile.mkdtemp(prefix="venice-bench-peers-")
    cache = tempfile.mkdtemp(prefix="venice-bench-cache-")
    times: dict[str, list[float]] = {
        "bare Textual": [],
        "frogmouth": [],
        "ours, last data on disk": [],
        "ours, first launch": [],
    }
    try:
        with demo_server() as url:
            for first in (True, *[False] * repeats):  # the first round compiles the bytecode
                app = _bare()
                bare = app.time_from_start("bare-screen-one")
                app.close()
                app = _frogmouth(command, home)
                frog = app.time_from_start(FROGMOUTH_MARK, timeout=60)
                app.close()
                with _ours(url, "--lookback", "30d", cache=cache) as app:
                    warm = app.time_from_start(MARK_OVERVIEW)
                    if first:
                        app.time_from_start("live ·")
                        app.drain(1)
                with _ours(url, "--lookback", "30d") as app:
                    cold = app.time_from_start(MARK_OVERVIEW)
                if not first:
                    for name, seconds in zip(times, (bare, frog, warm, cold), strict=True):
                        times[name].append(seconds)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    base = statistics.median(times["bare Textual"])
    print(f"first paint in a pty, median of {repeats} (frogmouth {FROGMOUTH}: its welcome page):")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"  {name:<26}{median * 1000:7.0f} ms  {median / base:5.2f}× bare")
    print(f"\nmachine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
