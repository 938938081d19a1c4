"""The status line at the bottom of every dashboard screen."""

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
    StatusLine { height: 1; width: 1fr; padding: 0 1; background: $panel; color: $text; }
    """

    def render(self) -> RenderResult:
        app: VeniceApp = self.app  # type: ignore[assignment]
        text = render_status(app.status_view())
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text if text.plain else Text("")
