"""The event loop's longest stall on a big account: first fills, refresh, filter keystrokes,
sorting, and resizes up to 200x60."""

from __future__ import annotations

import asyncio
import os
import tempfile

from benchmarks.common import Figure, demo_server
from benchmarks.stall import StallMonitor
from tests.harness import settle
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app


async def _run(rounds: int, base_url: str) -> tuple[float, str]:
    # The real client against the loopback demo-server, as a live account is met: the
    # server's own work (making a big account's bodies) happens in another process.
    os.environ["VENICE_API_KEY"] = "sk-admin-benchmark-stalls"
    settings = Settings(base_url=base_url, chosen_base_url=base_url, profile="bench")
    app = build_app(settings, Connection(settings), Period.lookback(90), 60)
    monitor = StallMonitor()
    async with app.run_test(size=(160, 48)) as pilot:
        while app.store.snapshot is None or app.store.snapshot.source.value != "live":
            await pilot.pause(0.05)
        await settle(pilot)
        monitor.start()
        for round_number in range(rounds):
            for key in ("2", "3", "1"):
                monitor.label = f"{'first fill' if round_number == 0 else 'switch'} to {key}"
                await pilot.press(key)
                await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            monitor.label = "filter keystroke"
            await pilot.press("slash", *"service-01")
            await settle(pilot)
            monitor.label = "clearing the filter"
            await pilot.press("escape")
            await settle(pilot)
            monitor.label = "sort"
            await pilot.press("s", "S", "less_than_sign", "greater_than_sign")
            await settle(pilot)
            monitor.label = "refresh"
            app._last_manual = float("-inf")
            await pilot.press("r")
            await settle(pilot)
            for size in ((120, 36), (80, 24), (200, 60), (160, 48)):
                monitor.label = f"resize to {size[0]}x{size[1]}"
                await pilot.resize_terminal(*size)
                await settle(pilot)
            await pilot.press("1")
            await settle(pilot)
        monitor.stop()
    return monitor.worst, monitor.worst_at


def measure(rounds: int = 3) -> Figure:
    with tempfile.TemporaryDirectory() as folder, demo_server("--big") as base_url:
        os.environ.update(
            VENICE_TUI_CACHE_DIR=folder,
            VENICE_TUI_CONFIG_DIR=folder,
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        worst, where = asyncio.run(_run(rounds, base_url))
    return Figure(
        f"longest event-loop stall, big account ({where})",
        "≤ 50 ms",
        f"{worst * 1000:.0f} ms",
        "—",
        None,
        worst <= 0.050,
    )
