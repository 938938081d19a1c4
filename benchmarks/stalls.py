"""The event loop's longest stall while refreshing, resizing and switching on a big account."""

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
        for _ in range(rounds):
            for key in ("2", "3", "1"):
                monitor.label = f"switch to {key}"
                await pilot.press(key)
                await settle(pilot)
            monitor.label = "refresh"
            app._last_manual = float("-inf")
            await pilot.press("r")
            await settle(pilot)
            for size in ((120, 36), (80, 24), (200, 60), (160, 48)):
                monitor.label = f"resize to {size[0]}x{size[1]}"
                await pilot.resize_terminal(*size)
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
