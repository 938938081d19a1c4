"""The event loop's longest stall on a big account: first fills, refresh, filter keystrokes,
sorting, and resizes up to 200x60."""

from __future__ import annotations

import asyncio

from benchmarks.common import Figure
from benchmarks.stall import StallMonitor
from tests.harness import FIXED_NOW, demo_app, settle
from venice_tui.api.period import Period
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder


async def _run(rounds: int) -> tuple[float, str]:
    responder = DemoResponder(DemoAccount.big(), now=lambda: FIXED_NOW)
    app = demo_app(Period.lookback(90), responder=responder)
    monitor = StallMonitor()
    async with app.run_test(size=(160, 48)) as pilot:
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
    worst, where = asyncio.run(_run(rounds))
    return Figure(
        f"longest event-loop stall, big account ({where})",
        "≤ 50 ms",
        f"{worst * 1000:.0f} ms",
        "—",
        None,
        worst <= 0.050,
    )
