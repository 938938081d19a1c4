"""Builds a chart's text with textual-plotext's figure. Runs on worker threads, never at start-up."""

from __future__ import annotations

from plotext._dict import themes as plotext_themes
from textual_plotext.plot import Plot, _rgbify_theme, _sequence

from venice_tui.ui.widgets.chart import RGB, ChartSpec, ChartTheme


def _theme_name(theme: ChartTheme) -> str:
    """Register the Textual theme's colours as a plotext theme, as textual-plotext's own widget
    does for its "auto" theme, and return its name."""
    name = f"venice-{theme.name}-{theme.background}-{theme.foreground}"
    if name not in plotext_themes:
        plotext_themes[name] = _rgbify_theme(
            theme.background,
            theme.background,
            theme.foreground,
            "default",
            _sequence,  # type: ignore[arg-type]
        )
    return name


def build_chart(
    spec: ChartSpec, colors: dict[str, RGB], theme: ChartTheme, width: int, height: int
) -> str:
    """Plot `spec` on a fresh figure and return plotext's ANSI text."""
    plot = Plot()
    plot.clear_data()
    plot.theme(_theme_name(theme))
    plot.plotsize(width, height)
    plot._set_size(width, height)  # textual-plotext does the same; resizing misbehaves without it
    xs = list(range(len(spec.labels)))
    if spec.kind == "hbar":
        values = list(spec.series[0].values) if spec.series else []
        plot.bar(
            list(spec.labels),
            values,
            orientation="horizontal",
            color=colors.get(spec.series[0].color),
            width=0.6,
        )
    elif spec.kind == "stacked":
        # plotext takes `labels` and a colour list here; its bundled stub says otherwise.
        plot.stacked_bar(  # type: ignore[call-arg]
            xs,
            [list(s.values) for s in spec.series],
            labels=[s.name for s in spec.series] if spec.legend else None,
            color=[colors[s.color] for s in spec.series],  # type: ignore[arg-type]
            width=1.0,
        )
    elif spec.kind == "bar":
        series = spec.series[0]
        plot.bar(
            xs,
            list(series.values),
            color=colors[series.color],
            width=1.0,
            label=series.name if spec.legend else None,
        )
    else:
        for series in spec.series:
            plot.plot(
                xs,
                list(series.values),
                color=colors[series.color],
                marker="braille",
                label=series.name if spec.legend else None,
            )
    if spec.kind != "hbar" and spec.labels:
        ticks = _ticks(len(xs), width)
        names = spec.tick_labels or spec.labels
        plot.xticks([xs[i] for i in ticks], [names[i] for i in ticks])
    if spec.title:
        plot.title(spec.title)
    if spec.y_label:
        plot.ylabel(spec.y_label)
    return str(plot.build())


def _ticks(count: int, width: int) -> list[int]:
    """Evenly spaced x ticks that leave room for 6-character labels, always the last day."""
    if count == 0:
        return []
    room = max(2, (width - 10) // 9)
    step = max(1, -(-count // room))
    ticks = list(range(count - 1, -1, -step))
    return sorted(ticks)
