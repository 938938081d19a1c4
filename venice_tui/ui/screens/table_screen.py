"""What the Models and API Keys screens share: a grid of the usage snapshot's rows, a detail
pane, and a chart of the top series in the currency picked with `c`."""

from __future__ import annotations

from venice_tui.core.store import Snapshot
from venice_tui.ui.host import host
from venice_tui.ui.screens.grid_screen import GridScreen
from venice_tui.ui.widgets.chart import ChartView


class TableScreen(GridScreen):
    FILL_AFTER_FIRST_PAINT = True

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "currency", self._currency_changed, init=False)

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

    def draw_series(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def series_chart(self) -> ChartView:
        return self.query_one("#series-chart", ChartView)
