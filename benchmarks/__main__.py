"""`make bench`: every figure with its baseline and ratio, as a table (`--quick` for a short run)."""

from __future__ import annotations

import sys

from benchmarks import (
    fleet_scale,
    ledger_speed,
    metrics_speed,
    report_speed,
    stalls,
    status_speed,
    tui_speed,
)
from benchmarks.common import Figure, print_table


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    repeats = 3 if quick else 7
    figures: list[Figure] = []
    steps = (
        lambda: report_speed.measure(repeats=5 if quick else 15),
        lambda: status_speed.measure(repeats=5 if quick else 15),
        lambda: tui_speed.first_data(repeats),
        lambda: tui_speed.switches_memory_idle(
            rounds=2 if quick else 5, idle_seconds=10 if quick else 60
        ),
        lambda: [stalls.measure(rounds=1 if quick else 3)],
        ledger_speed.measure,
        lambda: metrics_speed.measure(storm_seconds=10 if quick else 60),
        lambda: fleet_scale.measure(idle_seconds=10 if quick else 30),
    )
    for step in steps:
        measured = step()
        for figure in measured:  # as they come: a long run that fails later keeps these
            print(f"{figure.name}: {figure.measured} (baseline {figure.baseline})", flush=True)
        figures += measured
    print()
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
