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
#: A screen's own keys rank above most app-wide ones in a narrow key bar.
SCREEN_HINT_RANK = 6


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, hints: tuple[KeyHint, ...] = ()) -> None:
        super().__init__()
        ranked = [(SCREEN_HINT_RANK, hint) for hint in hints]
        ranked += [
            (c.bar_rank, (c.display, c.title, f"app.{c.action}")) for c in COMMANDS if c.in_key_bar
        ]
        self._items = [
            (rank, Content.from_markup(f"[@click={a}][b $accent]{escape(k)}[/] {escape(t)}[/]"))
            for rank, (k, t, a) in ranked
        ]
        self._fitted: tuple[int, Content] | None = None

    def render(self) -> RenderResult:
        width = self.content_region.width or self.size.width
        if self._fitted is None or self._fitted[0] != width:
            self._fitted = (width, self._fit(width))
        return self._fitted[1]

    def _fit(self, width: int) -> Content:
        """All the hints when they fit; else the least needed go first (help and quit stay)."""
        items = list(self._items)
        while len(items) > 1 and _width(items) > width:
            lowest = min(rank for rank, _ in items)
            drop = max(i for i, (rank, _) in enumerate(items) if rank == lowest)
            del items[drop]
        return Content("  ").join(content for _, content in items)


def _width(items: list[tuple[int, Content]]) -> int:
    return sum(content.cell_length for _, content in items) + 2 * (len(items) - 1)
