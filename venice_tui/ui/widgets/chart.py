"""`ChartView`: a textual-plotext chart that builds off the main thread and caches what it built.

A plotext build of 8 series x 90 days costs a few hundred milliseconds, so a chart never builds
in `render()`: it draws the last build (or a placeholder) and asks a thread worker for a new one
when its spec, size or theme changed. Each build uses a fresh figure, so builds never share state.
plotext itself is imported by the first build, on that worker thread, not on start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import get_current_worker

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


@dataclass(frozen=True, slots=True)
class ChartTheme:
    name: str
    background: RGB
    foreground: RGB


class ChartView(Widget):
    """Shows a `ChartSpec`. Set `spec` with `show()`; rebuilding is the widget's business.

    Uses Textual's line API: the worker turns plotext's text into strips, so painting the
    chart (every screen switch repaints it) costs the main thread a list lookup per line.
    """

    DEFAULT_CSS = """
    ChartView { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.spec: ChartSpec | None = None
        self._built_key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []
        self._pending_key: tuple[object, ...] | None = None

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
        return self.spec is None or self._too_small() or self._built_key == self._key()

    def _too_small(self) -> bool:
        return self.size.width < 8 or self.size.height < 4

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.spec is None or self._too_small():
            return Strip.blank(width, self.rich_style)
        if y == 0:
            key = self._key()
            if key != self._built_key and key != self._pending_key:
                self._pending_key = key
                self._start_build(key)
        if self._built_key is None:
            if y == self.size.height // 2:
                text = Text("drawing…", style="dim", justify="center")
                return Strip(list(text.render(self.app.console)), text.cell_len).adjust_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, self.rich_style)

    def _start_build(self, key: tuple[object, ...]) -> None:
        spec = self.spec
        assert spec is not None
        colors = {s.color: self._rgb(s.color) for s in spec.series}
        # The chart's own background and text colours follow the Textual theme.
        theme = ChartTheme(self.app.theme, self._rgb("surface"), self._rgb("foreground"))
        width, height = self.size.width, self.size.height
        style, console = self.rich_style, self.app.console
        self.run_worker(
            lambda: self._build(key, spec, colors, theme, width, height, style, console),
            thread=True,
            exclusive=True,
            group=f"chart-{id(self)}",
            exit_on_error=False,
        )

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
        theme: ChartTheme,
        width: int,
        height: int,
        style: Style,
        console: Console,
    ) -> None:
        from venice_tui.ui.plotting import build_chart

        lines = Text.from_ansi(build_chart(spec, colors, theme, width, height)).split(
            allow_blank=True
        )
        strips = [
            Strip(list(line.render(console, end="")), line.cell_len).adjust_cell_length(
                width, style
            )
            for line in lines[:height]
        ]
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._built_done, key, strips)

    def _built_done(self, key: tuple[object, ...], strips: list[Strip]) -> None:
        self._built_key, self._strips = key, strips
        if self._pending_key == key:
            self._pending_key = None
        self.refresh()
