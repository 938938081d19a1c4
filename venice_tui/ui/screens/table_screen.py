"""What the Models and API Keys screens share: a filterable usage table above a series chart."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from venice_tui.core.store import Snapshot
from venice_tui.ui.chart_specs import CURRENCY_CYCLE
from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.usage_table import UsageTable


class TableScreen(DashboardScreen):
    FILL_AFTER_FIRST_PAINT = True
    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("c", "cycle_currency", "USD/DIEM"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def filter_input(self) -> ComposeResult:
        yield Input(
            placeholder="filter: type to narrow the rows, Enter to go back to the table",
            id="filter",
        )

    @property
    def table(self) -> UsageTable:
        return self.query_one(UsageTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.focus()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.table.set_filter("")
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.table.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value.strip():
                event.input.display = False
            self.table.focus()

    def action_cycle_currency(self) -> None:
        venice = self.venice
        venice.currency = CURRENCY_CYCLE[
            (CURRENCY_CYCLE.index(venice.currency) + 1) % len(CURRENCY_CYCLE)
        ]
        if venice.snapshot is not None:
            self.draw_series(venice.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.fill_table(snapshot)
        self.draw_series(snapshot)

    def fill_table(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    @on(UsageTable.Highlighted)
    def _highlighted(self, event: UsageTable.Highlighted) -> None:
        self.show_detail(event.row_key)

    def show_detail(self, row_key: str | None) -> None:
        """Describe the selected row beside the table."""
        raise NotImplementedError

    def draw_series(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def series_chart(self) -> ChartView:
        return self.query_one("#series-chart", ChartView)
