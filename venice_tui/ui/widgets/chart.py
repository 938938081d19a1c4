"""`ChartView`: a textual-plotext chart that builds off the main thread and caches what it built.

A plotext build of 8 series x 90 days costs a few hundred milliseconds, so a chart never builds
in `render()`: it draws the last build (or a placeholder) and asks a thread worker for a new one
when its spec, size or theme changed. Each build uses a fresh figure, so builds never share state.
plotext itself is imported by the first build, on that worker thread, not on start-up.

The first line is the chart's own: its title and a legend of every series with its marker, so
the series read apart at any size and without colour.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import get_current_worker

from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.charts.spec import RGB, ChartSpec, Series

MIN_WIDTH, MIN_HEIGHT = 8, 4


def text_strip(text: Text, console: Console, width: int, base: Style) -> Strip:
    """One line of Rich text as a strip of exactly `width` cells in which every segment has
    a style (Textual's NO_COLOR filter cannot handle a segment without one)."""
    segments = Segment.apply_style(text.render(console, end=""), base)
    # Merged runs of one style: fewer segments for every filter to pass on each repaint.
    return Strip(list(segments), text.cell_len).adjust_cell_length(width, base).simplify()


def legend_sample(series: Series) -> str:
    if series.marker == "braille":
        return "⠒⠒"
    if series.marker == "sd":
        return GLYPHS.bar_full * 2
    return series.marker * 2


class ChartView(Widget):
    """Shows a `ChartSpec`. Set it with `show()`; rebuilding is the widget's business."""

    DEFAULT_CSS = """
    ChartView { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.spec: ChartSpec | None = None
        #: Said in the middle when there is nothing to plot (e.g. one day has no line).
        self.empty_text = ""
        self._built_key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []
        self._pending_key: tuple[object, ...] | None = None

    def show(self, spec: ChartSpec | None, empty_text: str = "") -> None:
        if spec == self.spec and empty_text == self.empty_text:
            return
        self.spec, self.empty_text = spec, empty_text
        self.refresh()

    def _key(self) -> tuple[object, ...]:
        return (self.spec, self.size.width, self.size.height, self.app.theme)

    @property
    def is_settled(self) -> bool:
        """True when what is on screen is the build for the current spec, size and theme."""
        return self.spec is None or self._too_small() or self._built_key == self._key()

    def _too_small(self) -> bool:
        return self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT

    def _message_line(self, y: int, text: str) -> Strip:
        width = self.size.width
        if y != self.size.height // 2 or not text:
            return Strip.blank(width, self.rich_style)
        line = Text(text, style="dim", justify="center")
        line.truncate(width, overflow="ellipsis")
        padded = Text(" " * max(0, (width - line.cell_len) // 2)) + line
        return text_strip(padded, self.app.console, width, self.rich_style)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.spec is None:
            return self._message_line(y, self.empty_text)
        if self._too_small():
            return Strip.blank(width, self.rich_style)
        if y == 0:
            key = self._key()
            if key != self._built_key and key != self._pending_key:
                self._pending_key = key
                self._start_build(key)
        if self._built_key is None:
            return self._message_line(y, "drawing…")
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, self.rich_style)

    def _start_build(self, key: tuple[object, ...]) -> None:
        spec = self.spec
        assert spec is not None
        colors = {s.color: self._rgb(s.color) for s in spec.series}
        width, height = self.size.width, self.size.height
        style, console = self.rich_style, self.app.console
        header = self._header(spec, colors, width)
        self.run_worker(
            lambda: self._build(key, spec, colors, header, width, height, style, console),
            thread=True,
            exclusive=True,
            group=f"chart-{self.id or 'unnamed'}",
            exit_on_error=False,
        )

    def _header(self, spec: ChartSpec, colors: dict[str, RGB], width: int) -> Text:
        header = Text(spec.title, style="bold", no_wrap=True, overflow="ellipsis")
        if spec.legend:
            for series in spec.series:
                header.append("  ")
                header.append(
                    legend_sample(series), style=Style(color=_rich_rgb(colors[series.color]))
                )
                header.append(f" {series.name}")
        header.truncate(width, overflow="ellipsis")
        return header

    def _rgb(self, variable: str) -> RGB:
        value = self.app.theme_variables.get(variable) or self.app.theme_variables.get(
            "primary", "#888888"
        )
        return Color.parse(value).rgb

    def _build(
        self,
        key: tuple[object, ...],
        spec: ChartSpec,
        colors: dict[str, RGB],
        header: Text,
        width: int,
        height: int,
        style: Style,
        console: Console,
    ) -> None:
        from venice_tui.ui.charts.plotting import build_chart

        body = build_chart(spec, colors, width, height - 1, GLYPHS.ascii)
        lines = [header, *Text.from_ansi(body).split(allow_blank=True)]
        strips = [text_strip(line, console, width, style) for line in lines[:height]]
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._built_done, key, strips)

    def _built_done(self, key: tuple[object, ...], strips: list[Strip]) -> None:
        self._built_key, self._strips = key, strips
        if self._pending_key == key:
            self._pending_key = None
        self.refresh()


def _rich_rgb(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
