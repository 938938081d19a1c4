"""What a screen around one grid has: the filter bar over it (`/` opens it, Enter goes back to
the grid, Esc clears it, keys typed before it is up land in it), `s` to sort, the palette's
table commands, and the highlighted row described beside the grid.

Models and API Keys (`TableScreen`, rows of the usage snapshot) and History (rows of the
archive) are grid screens; each composes its grid and a `FilterBar` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.widgets import Input

from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.table_commands import TableCommands
from venice_tui.ui.widgets.data_grid import DataGrid
from venice_tui.ui.widgets.filter_bar import FilterBar
from venice_tui.ui.widgets.key_bar import KeyHint


class GridScreen(DashboardScreen):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {TableCommands}
    KEY_HINTS: ClassVar[tuple[KeyHint, ...]] = (
        ("/", "Filter", "screen.filter"),
        ("s", "Sort", "screen.sort_next"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: `/` then letters typed at once must land in the filter, in order.
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    @property
    def grid(self) -> DataGrid:
        return self.query_one(DataGrid)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def on_mount(self) -> None:
        super().on_mount()
        if self.typing_pending:
            self._open_filter()
        else:
            self.set_focus(self.grid)

    def pending_text_target(self) -> Input | None:
        return self.filter_bar if self.typing_pending and self.is_mounted else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A `/` typed into the filter is part of the filter.
        return not (action == "filter" and self.is_typing)

    def action_filter(self) -> None:
        if self.is_mounted:
            self._open_filter()
        else:
            self.typing_pending = True  # opened on mount; keys typed meanwhile go into it

    def _open_filter(self) -> None:
        self.filter_bar.open()
        self.typing_pending = False

    def action_clear_filter(self) -> None:
        self.filter_bar.clear()

    def export_filter(self) -> str:
        return self.grid.filter_text

    def action_sort_next(self) -> None:
        self.grid.action_cycle_sort()

    @on(DataGrid.Highlighted)
    def _highlighted(self, event: DataGrid.Highlighted) -> None:
        self.show_detail(event.row_key)

    def show_detail(self, row_key: str | None) -> None:
        """Describe the selected row beside the grid."""
        raise NotImplementedError
