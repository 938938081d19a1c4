"""`venice-tui report --json` against the cheapest program that does the same job with the same
package (`python -c "import httpx, json; …"`), and, for reference, `curl` piped into json."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure, demo_server, median_seconds

REPEATS = 15
GOAL = 1.3
KEY = "sk-admin-benchmark"


def measure(repeats: int = REPEATS) -> list[Figure]:
    script = Path(sys.executable).with_name("venice-tui")
    python = os.path.realpath(sys.executable)  # the interpreter itself, not a version-manager shim
    with demo_server() as base_url:
        url = f"{base_url}/billing/usage-analytics?lookback=30d"
        env = {**os.environ, "VENICE_API_KEY": KEY, "VENICE_BASE_URL": base_url}
        ours = [str(script), "report", "--json", "--lookback", "30d"]
        httpx_program = (
            "import httpx, json; "
            f"json.loads(httpx.get({url!r}, headers={{'Authorization': 'Bearer {KEY}'}}).content)"
        )
        curl = shutil.which("curl") or "curl"
        curl_pipe = (
            f"{curl} -s -H 'Authorization: Bearer {KEY}' '{url}' | "
            f"{python} -c 'import json, sys; json.load(sys.stdin)'"
        )

        def run(argv: list[str] | str, shell: bool = False) -> None:
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, shell=shell)

        ours_s = median_seconds(lambda: run(ours), repeats)
        # The venv's interpreter (it has httpx); a symlink to the real binary, not a shim.
        httpx_s = median_seconds(lambda: run([sys.executable, "-c", httpx_program]), repeats)
        curl_s = median_seconds(lambda: run(curl_pipe, shell=True), repeats)
    return [
        Figure(
            "report --json (30d, demo-server)",
            f"≤ {GOAL}× python + httpx + json",
            f"{ours_s * 1000:.0f} ms",
            f"{httpx_s * 1000:.0f} ms",
            ours_s / httpx_s,
            ours_s / httpx_s <= GOAL,
        ),
        Figure(
            "report --json against curl + python json",
            "(for reference)",
            f"{ours_s * 1000:.0f} ms",
            f"{curl_s * 1000:.0f} ms",
            ours_s / curl_s,
            True,
        ),
    ]
