"""The top line: the app's name and the three screens, clickable, the current one marked."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

SCREENS = (("overview", "1", "Overview"), ("models", "2", "Models"), ("keys", "3", "API Keys"))


class NavBar(Widget):
    DEFAULT_CSS = """
    NavBar { height: 1; width: 1fr; background: $panel; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> RenderResult:
        parts = ["[b]venice-tui[/b]  "]
        for mode, key, title in SCREENS:
            if mode == self.current:
                parts.append(f"[reverse $accent] {key} {title} [/]")
            else:
                parts.append(
                    f"[@click=app.switch_screen_mode('{mode}')] [dim]{key}[/dim] {title} [/]"
                )
        parts.append("   [dim]? help[/dim]")
        return Content.from_markup(" ".join(parts))
