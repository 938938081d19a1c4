"""Measures the event loop's longest stall: a ticker that should wake every 2 ms notes how late it is."""

from __future__ import annotations

import asyncio
import time


class StallMonitor:
    def __init__(self, period: float = 0.002) -> None:
        self.period = period
        self.worst = 0.0
        self.worst_at = ""
        self.label = ""
        #: When the ticker last ran (a watchdog thread reads it: `stall_sampler`).
        self.beat = time.perf_counter()
        #: Every lateness over 20 ms (the longest alone is one draw of chance on a busy machine).
        self.lates: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def reset(self) -> None:
        self.worst, self.worst_at = 0.0, ""
        self.lates.clear()

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.period)
            self.beat = time.perf_counter()
            late = self.beat - before - self.period
            if late > 0.020:
                self.lates.append(late)
            if late > self.worst:
                self.worst, self.worst_at = late, self.label

    def over(self, seconds: float) -> int:
        return sum(late > seconds for late in self.lates)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
