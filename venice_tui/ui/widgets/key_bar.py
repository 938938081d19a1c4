"""The bottom line: the keys that matter here, clickable. Made from the command table and the
screen's own hints; it never recomposes, so a screen switch costs it one redraw."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.widget import Widget

from venice_tui.ui.navigation import COMMANDS

#: (key as shown, title, action the click runs, namespaced).
KeyHint = tuple[str, str, str]


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, hints: tuple[KeyHint, ...] = ()) -> None:
        super().__init__()
        app_hints = tuple((c.display, c.title, f"app.{c.action}") for c in COMMANDS if c.in_key_bar)
        self._content = Content.from_markup(
            "  ".join(
                f"[@click={action}][b $accent]{escape(key)}[/] {escape(title)}[/]"
                for key, title, action in (*hints, *app_hints)
            )
        )

    def render(self) -> RenderResult:
        return self._content
