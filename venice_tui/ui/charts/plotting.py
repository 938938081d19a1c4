"""Builds a chart's text with textual-plotext's figure. Runs on worker threads, never at start-up.

Each build uses a fresh `Plot` (no state shared between threads) and plotext's built-in
`clear` theme: the canvas takes the widget's own background and foreground, and series get
their colours (RGB from the Textual theme) through the public plotting calls. Nothing here
touches plotext's process-wide theme table.
"""

from __future__ import annotations

import math
import threading

from textual_plotext import Plot

from venice_tui.ui.charts.spec import RGB, ChartSpec

#: plotext keeps some state at module level (sizes, settings of the figure being built):
#: two builds on two threads at once can mix them, so builds take turns.
_BUILDING = threading.Lock()
#: Columns a date label (`Nov 03`) needs with a free column on each side, and one spare.
LABEL_ROOM = 10


def build_chart(
    spec: ChartSpec, colors: dict[str, RGB], width: int, height: int, ascii_only: bool
) -> str:
    """Plot `spec` and return plotext's ANSI text; the title and legend are the widget's."""
    if spec.kind == "hbar":
        return _hbars(spec, colors, width, height)
    with _BUILDING:
        return _build(spec, colors, width, height, ascii_only)


def _build(
    spec: ChartSpec, colors: dict[str, RGB], width: int, height: int, ascii_only: bool
) -> str:
    plot = Plot()
    plot.theme("clear")
    plot.plotsize(width, height)
    # plotext caps a figure at the size of the terminal it guesses (80x24 when it has none,
    # as on a worker thread under a test); the widget knows its size: textual-plotext's own
    # widget sets it the same way (its issue #5).
    plot._set_size(width, height)
    if ascii_only:
        plot.frame(False)  # box-drawing corners and ticks do not survive LANG=C or TERM=linux
    xs = list(range(len(spec.labels)))
    if spec.kind in ("stacked", "bar"):
        _bars(plot, spec, colors, xs)
    else:
        for series in spec.series:
            plot.plot(xs, list(series.values), color=colors[series.color], marker=series.marker)
    if spec.labels:
        ticks = _ticks(len(xs), width)
        names = spec.tick_labels or spec.labels
        plot.xticks([xs[i] for i in ticks], [names[i] for i in ticks])
        if len(xs) == 1:  # one day: a narrow bar in the middle, not a wall
            plot.xlim(-2, 2)
    return str(plot.build())


def _bars(plot: Plot, spec: ChartSpec, colors: dict[str, RGB], xs: list[int]) -> None:
    """Stacked bars drawn as the running total of each series, tallest first, each over the
    last. A zero-height bar is left out: plotext would blank the bottom row of the bar under
    it, and a day paid only in DIEM would seem to float above the axis."""
    totals = [0.0] * len(xs)
    layers = []
    for series in spec.series:
        totals = [t + v for t, v in zip(totals, series.values, strict=True)]
        layers.append((series, list(totals)))
    width = 1.0 if len(xs) > 1 else 0.4
    for series, heights in reversed(layers):
        shown = [(x, h) for x, h in zip(xs, heights, strict=True) if h > 0]
        if shown:
            plot.bar(
                [x for x, _ in shown],
                [h for _, h in shown],
                color=colors[series.color],
                marker=series.marker,
                width=width,
            )
    if not any(totals):
        plot.ylim(0, 1)


def _hbars(spec: ChartSpec, colors: dict[str, RGB], width: int, height: int) -> str:
    """Horizontal bars, one labelled line each, largest first, drawn here rather than by
    plotext: every label shows whatever the height (plotext drops some when rows are few)."""
    series = spec.series[0]
    items = sorted(zip(spec.labels, series.values, strict=True), key=lambda i: -i[1])[:height]
    if not items:
        return ""
    label_width = max(len(label) for label, _ in items)
    room = max(1, width - label_width - 1)
    top = max((value for _, value in items), default=0.0) or 1.0
    red, green, blue = colors[series.color]
    mark = series.marker if len(series.marker) == 1 else "█"
    lines = []
    for label, value in items:
        bar = mark * max(1 if value > 0 else 0, round(room * value / top))
        lines.append(f"{label:>{label_width}} \x1b[38;2;{red};{green};{blue}m{bar}\x1b[0m")
    return "\n".join(lines)


def _ticks(count: int, width: int) -> list[int]:
    """Evenly spaced x ticks, always the last day, far enough apart that no two 6-character
    labels compete for space (plotext would then keep one at random)."""
    if count == 0:
        return []
    columns_per_day = max(1.0, width - 8) / count
    step = max(1, math.ceil(LABEL_ROOM / columns_per_day))
    ticks = list(range(count - 1, -1, -step))
    return sorted(ticks)
