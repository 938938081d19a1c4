"""Builds a chart's text with textual-plotext's figure. Runs on worker threads, never at start-up.

Each build uses a fresh `Plot` (no state shared between threads) and plotext's built-in
`clear` theme: the canvas takes the widget's own background and foreground, and series get
their colours (RGB from the Textual theme) through the public plotting calls. Nothing here
touches plotext's process-wide theme table.
"""

from __future__ import annotations

from textual_plotext import Plot

from venice_tui.ui.charts.spec import RGB, ChartSpec


def build_chart(
    spec: ChartSpec, colors: dict[str, RGB], width: int, height: int, ascii_only: bool
) -> str:
    """Plot `spec` and return plotext's ANSI text; the title and legend are the widget's."""
    plot = Plot()
    plot.theme("clear")
    plot.plotsize(width, height)
    if ascii_only:
        plot.frame(False)  # box-drawing corners and ticks do not survive LANG=C or TERM=linux
    xs = list(range(len(spec.labels)))
    if spec.kind == "hbar":
        series = spec.series[0]
        plot.bar(
            list(spec.labels),
            list(series.values),
            orientation="horizontal",
            color=colors[series.color],
            marker=series.marker,
            width=0.6,
        )
    elif spec.kind in ("stacked", "bar"):
        _bars(plot, spec, colors, xs)
    else:
        for series in spec.series:
            plot.plot(xs, list(series.values), color=colors[series.color], marker=series.marker)
    if spec.kind != "hbar" and spec.labels:
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


def _ticks(count: int, width: int) -> list[int]:
    """Evenly spaced x ticks that leave room for 6-character labels, always the last day."""
    if count == 0:
        return []
    room = max(2, (width - 10) // 9)
    step = max(1, -(-count // room))
    ticks = list(range(count - 1, -1, -step))
    return sorted(ticks)
