"""`venice-tui metrics` under a scrape storm against the big demo account: scrape latency from
warm values (median, p99) against a GET of the demo-server's own stats page on the same
loopback, and how many requests reached "Venice" during the storm (10 scrapes a second).

`python -m benchmarks.metrics_speed --minutes 10` runs the storm the issue asks about;
`make bench` runs a one-minute one.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import Figure, cli_env, demo_server

KEY = "sk-admin-benchmark"
SCRAPES_PER_SECOND = 10


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as reply:
        return bytes(reply.read())


def _timed(url: str) -> float:
    start = time.perf_counter()
    _get(url)
    return time.perf_counter() - start


def _upstream(root: str) -> int:
    stats = json.loads(_get(f"{root}/_demo/stats"))
    return int(sum(stats["byPath"].values()))


def measure(storm_seconds: float = 60.0) -> list[Figure]:
    script = str(Path(sys.executable).with_name("venice-tui"))
    with demo_server("--big") as base_url, tempfile.TemporaryDirectory() as scratch:
        root = base_url.removesuffix("/api/v1")
        env = cli_env(scratch, base_url, KEY)
        exporter = subprocess.Popen(
            [script, "metrics", "--listen", "127.0.0.1:0"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert exporter.stderr is not None
            line = exporter.stderr.readline()
            match = re.search(r"(http://127\.0\.0\.1:\d+/metrics)", line)
            assert match, line
            url = match.group(1)
            _get(url)  # the first scrape waits for the first fetch
            warm = [_timed(url) for _ in range(300)]
            baseline = [_timed(f"{root}/_demo/stats") for _ in range(300)]
            before = _upstream(root)
            started = time.monotonic()
            scrapes = 0
            while (elapsed := time.monotonic() - started) < storm_seconds:
                _get(url)
                scrapes += 1
                time.sleep(max(0.0, scrapes / SCRAPES_PER_SECOND - elapsed))
            during = _upstream(root) - before  # API requests only: the stats page is not one
        finally:
            exporter.terminate()
            exporter.wait(timeout=20)
    median_ms = statistics.median(warm) * 1000
    p99_ms = statistics.quantiles(warm, n=100)[98] * 1000
    base_ms = statistics.median(baseline) * 1000
    minutes = storm_seconds / 60
    # Venice asked at most once per --min-interval (300 s): four requests per fetch.
    allowed = 4 * (int(storm_seconds // 300) + 1)
    return [
        Figure(
            "metrics scrape, warm (big account)",
            "median; p99 beside it",
            f"{median_ms:.1f} ms (p99 {p99_ms:.1f} ms)",
            f"{base_ms:.1f} ms (GET demo stats)",
            median_ms / base_ms,
            True,
        ),
        Figure(
            f"metrics: upstream requests in a {minutes:g}-min storm",
            f"≤ {allowed} ({SCRAPES_PER_SECOND} scrapes/s, min-interval 300 s)",
            f"{during} requests for {scrapes} scrapes",
            "—",
            None,
            during <= allowed,
        ),
    ]


if __name__ == "__main__":
    minutes = float(sys.argv[sys.argv.index("--minutes") + 1]) if "--minutes" in sys.argv else 1
    for figure in measure(minutes * 60):
        print(f"{figure.name}: {figure.measured} (baseline {figure.baseline}; {figure.goal})")
