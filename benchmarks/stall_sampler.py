"""Where a stall of the event loop is spent: a watchdog thread that, while the loop is late
(its `StallMonitor` ticker has not run for `late_after` seconds), samples the loop thread's
stack every `every` seconds. Each stall is kept with its label, its length and the functions
its samples were in, so a breakdown says what the loop did, not just how long it did not
answer. For the benchmarks only (`python -m benchmarks.ledger_speed --keep F --sample`)."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from types import FrameType

from benchmarks.stall import StallMonitor


@dataclass
class Stall:
    label: str
    start: float
    samples: list[tuple[str, ...]] = field(default_factory=list)
    length: float = 0.0


def _stack(frame: FrameType | None, depth: int = 60) -> tuple[str, ...]:
    """Innermost first: `file:function` of each frame."""
    found = []
    while frame is not None and len(found) < depth:
        code = frame.f_code
        path = code.co_filename
        short = path.split("site-packages/")[-1].split("h-history2/")[-1]
        found.append(f"{short}:{code.co_name}")
        frame = frame.f_back
    return tuple(found)


_RUNNERS = ("asyncio/", "runpy", "benchmarks/", "_callback.py", "message_pump.py:_")


def _path(sample: tuple[str, ...], depth: int = 7) -> str:
    """The sample's frames below the event loop's and Textual's dispatching, outermost first,
    cut to the `depth` innermost (what the time was spent in)."""
    own = [frame for frame in sample if not any(r in frame for r in _RUNNERS)]
    return " > ".join(reversed(own[:depth]))


class StallSampler:
    def __init__(self, monitor: StallMonitor, late_after: float = 0.015, every: float = 0.002):
        self.monitor = monitor
        self.late_after = late_after
        self.every = every
        self.stalls: list[Stall] = []
        self._loop_thread = threading.get_ident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        # The loop thread holds the GIL through a stall: the watchdog gets it back only at
        # the interpreter's switch interval (5 ms by default), so a shorter one while sampling.
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(self.every / 4)
        self.monitor.beat = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        sys.setswitchinterval(self._switch)

    def _watch(self) -> None:
        current: Stall | None = None
        while not self._stop.wait(self.every):
            late = time.perf_counter() - self.monitor.beat
            if late < self.late_after:
                if current is not None:
                    current.length = time.perf_counter() - current.start
                    self.stalls.append(current)
                    current = None
                continue
            if current is None:
                current = Stall(self.monitor.label, self.monitor.beat)
            frame = sys._current_frames().get(self._loop_thread)
            current.samples.append(_stack(frame))

    def report(self, worst: int = 8, top: int = 12) -> str:
        """The longest stalls, each with the functions most of its samples were in (any depth),
        and over every stall longer than 30 ms, the innermost project/Textual frames."""
        lines = []
        for stall in sorted(self.stalls, key=lambda s: -s.length)[:worst]:
            lines.append(
                f"— {stall.length * 1000:.0f} ms in {stall.label!r}, {len(stall.samples)} samples"
            )
            paths: Counter[str] = Counter(_path(sample) for sample in stall.samples)
            for path, count in paths.most_common(top):
                lines.append(f"    {count:4d}  {path}")
        long = [s for s in self.stalls if s.length > 0.030]
        lines.append(f"{len(long)} stalls over 30 ms, by label:")
        by_label: Counter[str] = Counter(s.label for s in long)
        for label, count in by_label.most_common():
            worst_one = max(s.length for s in long if s.label == label)
            lines.append(f"    {count:4d}  {label} (worst {worst_one * 1000:.0f} ms)")
        return "\n".join(lines)
