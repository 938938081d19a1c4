"""The status line at the bottom of every dashboard screen: one line, two when there is an error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from venice_tui.ui.status_text import render_status

if TYPE_CHECKING:
    from venice_tui.ui.app import VeniceApp


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 2; width: 1fr; padding: 0 1; background: $panel; color: $text; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._text = Text("")

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        """Recompute the text; redraw only when it changed, re-layout only when its height did."""
        app: VeniceApp = self.app  # type: ignore[assignment]
        text = render_status(app.status_view())
        text.no_wrap = True
        text.overflow = "ellipsis"
        if text == self._text:
            return
        height_changed = text.plain.count("\n") != self._text.plain.count("\n")
        self._text = text
        self.refresh(layout=height_changed)

    def render(self) -> RenderResult:
        return self._text
