"""API Keys: every key including Web App, keyed by id, sortable and filterable; top keys' lines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from venice_tui.api.models import KeyUsage
from venice_tui.core import format as fmt
from venice_tui.core.store import Snapshot
from venice_tui.ui.charts.specs import no_lines_text, top_series_lines
from venice_tui.ui.host import host
from venice_tui.ui.screens.table_screen import TableScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import Column, DataGrid, GridRow

COLUMNS = (
    Column("description", "Key", flex=True),
    Column("id", "Id"),
    Column("units", "All units", numeric=True, descending=True),
    Column("usd", "USD", numeric=True, descending=True),
    Column("diem", "DIEM", numeric=True, descending=True),
    Column("share", "Share", numeric=True, descending=True),
)


class KeysScreen(TableScreen):
    MODE = "keys"
    TITLE = "API Keys"

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[str, KeyUsage] = {}
        self._total = 0.0

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="table-row"):
            with Vertical(id="table-pane"):
                yield from self.filter_input()
                yield DataGrid(
                    COLUMNS, "share", id="keys-table", empty_text="No key matches the filter."
                )
            with Vertical(id="detail-pane"):
                yield Static("", id="detail")
        yield ChartView(id="series-chart")

    def fill_table(self, snapshot: Snapshot) -> None:
        keys = snapshot.analytics.keys
        self._total = snapshot.analytics.totals.spend
        self._keys = {k.row_key: k for k in keys}
        self.grid.set_rows([_row(k, self._total) for k in keys])
        self.show_detail(self.grid.selected_key)

    def draw_series(self, snapshot: Snapshot) -> None:
        series = snapshot.analytics.key_series
        spec = top_series_lines(series, "keys", host(self).currency)
        self.series_chart().show(spec, no_lines_text(series, "keys"))

    def show_detail(self, row_key: str | None) -> None:
        key = self._keys.get(row_key) if row_key else None
        detail = self.query_one("#detail", Static)
        if key is None:
            detail.update(Content.styled("No key matches the filter.", "dim"))
            return
        detail.update(_detail(key, self._total))


def _row(key: KeyUsage, total: float) -> GridRow:
    return GridRow(
        key=key.row_key,
        cells=(
            key.description,
            fmt.short_id(key.key_id),
            fmt.compact(key.units),
            fmt.usd(key.usd),
            fmt.diem(key.diem),
            fmt.share(key.spend, total),
        ),
        sort_values=(
            key.description.lower(),
            key.key_id or "",
            key.units,
            key.usd,
            key.diem,
            key.spend,
        ),
        search_text=f"{key.description} {key.key_id or 'web app'}".lower(),
    )


def _detail(key: KeyUsage, total: float) -> Content:
    """Built from plain strings: descriptions and ids are shown as sent, never parsed."""
    ident = "usage from Venice's web app" if key.is_web_app else f"id {key.key_id}"
    return Content.assemble(
        (key.description, "bold"),
        (f"\n{ident}", "dim"),
        f"\n\n{fmt.usd(key.usd)} USD\n{fmt.diem(key.diem)} DIEM",
        f"\n{fmt.share(key.spend, total)} of the period's USD + DIEM",
        f"\n{fmt.compact(key.units)} units",
        (" of every kind added up\n(tokens, images, characters…)", "dim"),
    )
