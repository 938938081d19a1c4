"""`statusline` from a fresh cache against `python -c 'import json'` reading the same file,
`statusline --all-profiles` over the demo fleet's three accounts against the one-profile line,
and `check` against `report --json` (both over loopback from the demo-server)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, cli_env, demo_server, median_seconds

STATUSLINE_GOAL = 2.0
#: Three accounts' summaries instead of one: the files are small, the Python start dominates.
FLEET_GOAL = 1.5
FLEET_KEYS = {
    name: f"sk-{name}-admin-benchmark" for name in ("demo-work", "demo-client", "demo-staging")
}
CHECK_GOAL = 1.1
KEY = "sk-admin-benchmark"


def measure(repeats: int = 15) -> list[Figure]:
    script = str(Path(sys.executable).with_name("venice-tui"))
    python = os.path.realpath(sys.executable)
    with demo_server() as base_url, tempfile.TemporaryDirectory() as scratch:
        env = cli_env(scratch, base_url, KEY)
        Path(f"{scratch}/config").mkdir()
        Path(f"{scratch}/config/config.toml").write_text("[budget.default]\nmonthly_usd = 400\n")

        def run(*argv: str) -> None:
            subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL)

        run(script, "statusline")  # fetches once and keeps the numbers on disk
        summaries = list(Path(f"{scratch}/cache/status").glob("*.json"))
        assert len(summaries) == 1, "statusline kept no summary"
        read_json = f"import json; json.load(open({str(summaries[0])!r}))"
        statusline_s = median_seconds(lambda: run(script, "statusline"), repeats)
        json_s = median_seconds(lambda: run(python, "-c", read_json), repeats)
        check_s = median_seconds(lambda: run(script, "check"), repeats)
        report_s = median_seconds(lambda: run(script, "report", "--json", "-l", "30d"), repeats)
        fleet_env = {k: v for k, v in env.items() if k != "VENICE_API_KEY"}
        for name, key in FLEET_KEYS.items():
            subprocess.run(
                [script, "auth", "login", "--insecure-storage", "--profile", name],
                env=fleet_env,
                input=key + "\n",
                text=True,
                check=True,
                capture_output=True,
            )

        def fleet_line() -> None:
            subprocess.run(
                [script, "statusline", "--all-profiles"],
                env=fleet_env,
                check=False,
                stdout=subprocess.DEVNULL,
            )

        fleet_line()  # fetches each account once and keeps its numbers on disk
        fleet_s = median_seconds(fleet_line, repeats)
    return [
        Figure(
            "statusline (fresh cache)",
            f"≤ {STATUSLINE_GOAL:g}× python -c 'import json' on the file",
            f"{statusline_s * 1000:.0f} ms",
            f"{json_s * 1000:.0f} ms",
            statusline_s / json_s,
            statusline_s / json_s <= STATUSLINE_GOAL,
        ),
        Figure(
            "statusline --all-profiles (3 accounts, fresh cache)",
            f"≤ {FLEET_GOAL:g}× statusline of one profile",
            f"{fleet_s * 1000:.0f} ms",
            f"{statusline_s * 1000:.0f} ms",
            fleet_s / statusline_s,
            fleet_s / statusline_s <= FLEET_GOAL,
        ),
        Figure(
            "check (this month, demo-server)",
            f"≤ {CHECK_GOAL:g}× report --json",
            f"{check_s * 1000:.0f} ms",
            f"{report_s * 1000:.0f} ms",
            check_s / report_s,
            check_s / report_s <= CHECK_GOAL,
        ),
    ]
