"""Soak: the TUI at --refresh 10 for 30 minutes against a server that fails every third request.

Not run in CI: `python -m benchmarks.soak [--minutes N]`. The app runs headless in this process
(so its workers can be counted) through the real client, against `demo-server --fault flaky`
on loopback, which cycles 504, 500, 502 HTML, wrong shape, truncated body and 429.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
import urllib.request

from benchmarks.common import demo_server, machine
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def server_stats(base_url: str) -> dict[str, int]:
    with urllib.request.urlopen(base_url.removesuffix("/api/v1") + "/_demo/stats", timeout=5) as r:
        stats: dict[str, int] = json.loads(r.read())
        return stats


async def soak(minutes: float, refresh: int) -> dict[str, object]:
    with demo_server("--fault", "flaky") as base_url:
        os.environ["VENICE_API_KEY"] = "sk-admin-soak-benchmark"
        settings = Settings(base_url=base_url, chosen_base_url=base_url, profile="soak", timeout=10)
        app = build_app(settings, Connection(settings), Period.lookback(30), refresh)
        errors = recoveries = 0
        was_error = False

        def watch() -> None:
            nonlocal errors, recoveries, was_error
            status = app.store.status
            if status.loading:
                return
            if status.error and not was_error:
                errors += 1
            if was_error and not status.error:
                recoveries += 1
            was_error = bool(status.error)

        app.store.subscribe(watch)
        workers: list[int] = []
        samples: list[float] = []
        async with app.run_test(size=(120, 36)) as pilot:
            while app.store.snapshot is None:
                await pilot.pause(0.2)
            start_rss = rss_mib()
            deadline = time.monotonic() + minutes * 60
            while time.monotonic() < deadline:
                await pilot.pause(5)
                workers.append(len([w for w in app.workers if not w.is_finished]))
                samples.append(rss_mib())
            end_rss = rss_mib()
        stats = server_stats(base_url)
    return {
        "minutes": minutes,
        "refresh_s": refresh,
        "rss_start_mib": round(start_rss, 1),
        "rss_end_mib": round(end_rss, 1),
        "rss_growth_mib": round(end_rss - start_rss, 1),
        "rss_median_mib": round(statistics.median(samples), 1) if samples else None,
        "server_requests": stats["requests"],
        "server_max_in_flight": stats["max_in_flight"],
        "workers_alive_max": max(workers) if workers else 0,
        "workers_alive_last": workers[-1] if workers else 0,
        "errors_seen_by_store": errors,
        "errors_recovered": recoveries,
        "machine": machine(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--refresh", type=int, default=10)
    args = parser.parse_args()
    result = asyncio.run(soak(args.minutes, args.refresh))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
