"""What the Models and API Keys screens share: a filterable grid, a detail pane, a series chart."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.widgets import Input

from venice_tui.core.store import Snapshot
from venice_tui.ui.host import host
from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.table_commands import TableCommands
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import DataGrid
from venice_tui.ui.widgets.key_bar import KeyHint


class TableScreen(DashboardScreen):
    FILL_AFTER_FIRST_PAINT = True
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

    def filter_input(self) -> ComposeResult:
        yield Input(
            placeholder="filter: type to narrow the rows · Enter back to the table · Esc clears",
            id="filter",
        )

    @property
    def grid(self) -> DataGrid:
        return self.query_one(DataGrid)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "currency", self._currency_changed, init=False)
        if self.typing_pending:
            self._open_filter()
        else:
            self.set_focus(self.grid)

    def pending_text_target(self) -> Input | None:
        return self.query_one("#filter", Input) if self.typing_pending and self.is_mounted else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A `/` typed into the filter is part of the filter.
        return not (action == "filter" and self.is_typing)

    def action_filter(self) -> None:
        if self.is_mounted:
            self._open_filter()
        else:
            self.typing_pending = True  # opened on mount; keys typed meanwhile go into it

    def _open_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)  # now, not after the keys already typed
        self.typing_pending = False

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.grid.set_filter("")
        self.set_focus(self.grid)

    def export_filter(self) -> str:
        return self.grid.filter_text

    def action_sort_next(self) -> None:
        self.grid.action_cycle_sort()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.grid.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.set_focus(self.grid)

    def _currency_changed(self) -> None:
        snapshot = host(self).snapshot
        if snapshot is not None and self.is_current:
            self.draw_series(snapshot)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        snapshot = host(self).snapshot
        if snapshot is not None:
            self.draw_series(snapshot)  # the currency may have changed elsewhere

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.fill_table(snapshot)
        self.draw_series(snapshot)

    def fill_table(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    @on(DataGrid.Highlighted)
    def _highlighted(self, event: DataGrid.Highlighted) -> None:
        self.show_detail(event.row_key)

    def show_detail(self, row_key: str | None) -> None:
        """Describe the selected row beside the table."""
        raise NotImplementedError

    def draw_series(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def series_chart(self) -> ChartView:
        return self.query_one("#series-chart", ChartView)
