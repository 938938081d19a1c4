"""The top line: the app's name, every screen (clickable, the current one marked), and whose
data this is (profile and the key's last 4, or demo)."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.host import host
from venice_tui.ui.navigation import SCREENS


class NavBar(Widget):
    DEFAULT_CSS = """
    NavBar { height: 1; width: 1fr; background: $panel; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def on_mount(self) -> None:
        self.watch(self.app, "owner", self._owner_changed, init=False)

    def _owner_changed(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        parts = ["[b]venice-tui[/b] "]
        for entry in SCREENS:
            if entry.mode == self.current:
                parts.append(f"[reverse $accent] {entry.key} {entry.title} [/]")
            else:
                parts.append(
                    f"[@click=app.show('{entry.mode}')] [dim]{entry.key}[/dim] {entry.title} [/]"
                )
        parts.append("  [@click=app.help][dim]? help[/dim][/]")
        left = Content.from_markup(" ".join(parts))
        owner = host(self).owner
        if not owner:
            return left
        # The account label holds a profile name and part of a key: plain text, never markup.
        fits = self.size.width - left.cell_length - 2
        if len(owner) > fits:  # its end names the profile: keep that
            if fits < 8:
                return left
            owner = GLYPHS.ellipsis + owner[len(owner) - fits + len(GLYPHS.ellipsis) :]
        right = Content.styled(owner, "dim")
        room = self.size.width - left.cell_length - right.cell_length
        return Content.assemble(left, " " * room, right)
