"""API Keys: every key including Web App, keyed by id, sortable and filterable; top keys' lines."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from venice_tui.api.models import KeyUsage
from venice_tui.core import format as fmt
from venice_tui.core.store import Snapshot
from venice_tui.ui.chart_specs import top_series_lines
from venice_tui.ui.screens.table_screen import TableScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.usage_table import Column, TableRow, UsageTable

COLUMNS = (
    Column("description", "Key"),
    Column("id", "Id"),
    Column("units", "Units", numeric=True, descending=True),
    Column("usd", "USD", numeric=True, descending=True),
    Column("diem", "DIEM", numeric=True, descending=True),
    Column("share", "Share", numeric=True, descending=True),
)


class KeysScreen(TableScreen):
    MODE = "keys"
    TITLE = "API Keys"

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="table-row"):
            with Vertical(id="table-pane"):
                yield from self.filter_input()
                yield UsageTable(COLUMNS, "share", id="keys-table")
            with Vertical(id="detail-pane", classes="narrow-detail"):
                yield Static("", id="detail")
        yield ChartView(id="series-chart")

    def fill_table(self, snapshot: Snapshot) -> None:
        total = snapshot.analytics.totals.spend
        self._keys = {k.row_key: k for k in snapshot.analytics.keys}
        self._total = total
        self.table.set_rows([_row(k, total) for k in snapshot.analytics.keys])
        self.show_detail(self.table.selected_key)

    def draw_series(self, snapshot: Snapshot) -> None:
        spec = top_series_lines(snapshot.analytics.key_series, "keys", self.venice.currency)
        self.series_chart().show(spec)

    def show_detail(self, row_key: str | None) -> None:
        keys = getattr(self, "_keys", {})
        key = keys.get(row_key) if row_key else None
        detail = self.query_one("#detail", Static)
        if key is None:
            detail.update("[dim]No key matches the filter.[/dim]" if self.table.filter_text else "")
            return
        name = escape(key.description)
        ident = "usage from Venice's web app" if key.is_web_app else f"id {key.key_id}"
        detail.update(
            f"[b]{name}[/b]\n[dim]{ident}[/dim]\n\n"
            f"{fmt.usd(key.usd)} USD\n{fmt.diem(key.diem)} DIEM\n"
            f"{fmt.compact(key.units)} units\n{fmt.share(key.spend, self._total)} of spend"
        )


def _row(key: KeyUsage, total: float) -> TableRow:
    return TableRow(
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
