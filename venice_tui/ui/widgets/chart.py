"""`ChartView`: a plotext chart that builds off the main thread and caches what it built.

A plotext build of 8 series x 90 days costs a few hundred milliseconds, so a chart never builds
in `render()`: it draws the last build (or a placeholder) and asks a thread worker for a new one
when its spec, size or theme changed. Each build uses a fresh figure, so builds never share state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.text import Text
from textual.app import RenderResult
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

ChartKind = Literal["bar", "stacked", "line", "hbar"]
RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]
    #: A Textual theme variable ("primary", "accent", …); resolved to RGB when building.
    color: str


@dataclass(frozen=True, slots=True)
class ChartSpec:
    kind: ChartKind
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    y_label: str = ""
    #: Short labels for x ticks (dates as `Nov 03`); every label when empty.
    tick_labels: tuple[str, ...] = field(default=())
    legend: bool = True


class ChartView(PlotextPlot):
    """Shows a `ChartSpec`. Set `spec` with `show()`; rebuilding is the widget's business."""

    DEFAULT_CSS = """
    ChartView { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.spec: ChartSpec | None = None
        self._built_key: tuple[object, ...] | None = None
        self._built = Text("")
        self._pending_key: tuple[object, ...] | None = None
        self.builds = 0

    def show(self, spec: ChartSpec | None) -> None:
        if spec == self.spec:
            return
        self.spec = spec
        self.refresh()

    def _key(self) -> tuple[object, ...]:
        return (self.spec, self.size.width, self.size.height, self.app.theme)

    @property
    def is_settled(self) -> bool:
        """True when what is on screen is the build for the current spec, size and theme."""
        return self.spec is None or self._built_key == self._key()

    def render(self) -> RenderResult:
        if self.spec is None or self.size.width < 8 or self.size.height < 4:
            return Text("")
        key = self._key()
        if key != self._built_key and key != self._pending_key:
            self._pending_key = key
            self._start_build(key)
        if self._built_key is None:
            return Text("drawing…", style="dim", justify="center")
        return self._built

    def _start_build(self, key: tuple[object, ...]) -> None:
        spec = self.spec
        assert spec is not None
        colors = {s.color: self._rgb(s.color) for s in spec.series}
        theme_name = self._get_plotext_theme_name(self.app.theme)
        width, height = self.size.width, self.size.height
        self.run_worker(
            lambda: self._build(key, spec, colors, theme_name, width, height),
            thread=True,
            exclusive=True,
            group=f"chart-{id(self)}",
            exit_on_error=False,
        )

    def _rgb(self, variable: str) -> RGB:
        from textual.color import Color

        value = self.app.theme_variables.get(variable) or self.app.theme_variables.get(
            "primary", "#888888"
        )
        return Color.parse(value).rgb

    def _build(
        self,
        key: tuple[object, ...],
        spec: ChartSpec,
        colors: dict[str, RGB],
        theme_name: str,
        width: int,
        height: int,
    ) -> None:
        text = Text.from_ansi(build_chart(spec, colors, theme_name, width, height))
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._built_done, key, text)

    def _built_done(self, key: tuple[object, ...], text: Text) -> None:
        self.builds += 1
        self._built_key, self._built = key, text
        if self._pending_key == key:
            self._pending_key = None
        self.refresh()


def build_chart(
    spec: ChartSpec, colors: dict[str, RGB], theme_name: str, width: int, height: int
) -> str:
    """Plot `spec` on a fresh figure and return plotext's ANSI text."""
    plot = Plot()
    plot.clear_data()
    plot.theme(theme_name)
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
            width=0.8,
        )
    elif spec.kind == "bar":
        series = spec.series[0]
        plot.bar(
            xs,
            list(series.values),
            color=colors[series.color],
            width=0.8,
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
