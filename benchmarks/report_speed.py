"""`venice-tui report --json` against `curl` + `python3 -c 'import json…'` on the same URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure, demo_server, median_seconds

REPEATS = 15
GOAL = 1.5


def measure(repeats: int = REPEATS) -> Figure:
    script = Path(sys.executable).with_name("venice-tui")
    python = os.path.realpath(sys.executable)  # the interpreter itself, not a version-manager shim
    with demo_server() as base_url:
        url = f"{base_url}/billing/usage-analytics?lookback=30d"
        env = {**os.environ, "VENICE_API_KEY": "sk-admin-benchmark", "VENICE_BASE_URL": base_url}
        ours = [str(script), "report", "--json", "--lookback", "30d"]
        curl = shutil.which("curl") or "curl"
        baseline = (
            f"{curl} -s -H 'Authorization: Bearer sk-admin-benchmark' '{url}' | "
            f"{python} -c 'import json, sys; json.load(sys.stdin)'"
        )

        def run_ours() -> None:
            subprocess.run(ours, env=env, check=True, stdout=subprocess.DEVNULL)

        def run_baseline() -> None:
            subprocess.run(baseline, shell=True, check=True, stdout=subprocess.DEVNULL)

        ours_s = median_seconds(run_ours, repeats)
        base_s = median_seconds(run_baseline, repeats)
    ratio = ours_s / base_s
    return Figure(
        "report --json (30d, demo-server)",
        f"≤ {GOAL}× curl + python json",
        f"{ours_s * 1000:.0f} ms",
        f"{base_s * 1000:.0f} ms",
        ratio,
        ratio <= GOAL,
    )
