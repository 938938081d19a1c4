"""Models: every model, sortable and filterable, the selected one's breakdown, top models' lines."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from venice_tui.api.models import ModelUsage
from venice_tui.core import format as fmt
from venice_tui.core.store import Snapshot
from venice_tui.ui.chart_specs import breakdown_bars, top_series_lines
from venice_tui.ui.screens.table_screen import TableScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.usage_table import Column, TableRow, UsageTable

COLUMNS = (
    Column("name", "Model"),
    Column("type", "Type"),
    Column("unit", "Unit"),
    Column("units", "Units", numeric=True, descending=True),
    Column("usd", "USD", numeric=True, descending=True),
    Column("diem", "DIEM", numeric=True, descending=True),
    Column("share", "Share", numeric=True, descending=True),
)


class ModelsScreen(TableScreen):
    MODE = "models"
    TITLE = "Models"

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="table-row"):
            with Vertical(id="table-pane"):
                yield from self.filter_input()
                yield UsageTable(COLUMNS, "share", id="models-table")
            with Vertical(id="detail-pane"):
                yield Static("", id="detail")
                yield ChartView(id="breakdown-chart")
        yield ChartView(id="series-chart", classes="models-series")

    def fill_table(self, snapshot: Snapshot) -> None:
        total = snapshot.analytics.totals.spend
        self._models = {m.row_key: m for m in snapshot.analytics.models}
        self.table.set_rows([_row(m, total) for m in snapshot.analytics.models])
        self.show_detail(self.table.selected_key)

    def draw_series(self, snapshot: Snapshot) -> None:
        spec = top_series_lines(snapshot.analytics.model_series, "models", self.venice.currency)
        self.series_chart().show(spec)

    def show_detail(self, row_key: str | None) -> None:
        models = getattr(self, "_models", {})
        model = models.get(row_key) if row_key else None
        detail = self.query_one("#detail", Static)
        chart = self.query_one("#breakdown-chart", ChartView)
        if model is None:
            detail.update(
                "[dim]No model matches the filter.[/dim]" if self.table.filter_text else ""
            )
            chart.show(None)
            chart.display = False
            return
        detail.update(_detail_text(model))
        spec = breakdown_bars(model)
        chart.display = spec is not None
        chart.show(spec)


def _row(model: ModelUsage, total: float) -> TableRow:
    return TableRow(
        key=model.row_key,
        cells=(
            model.name,
            model.model_type or "—",
            model.unit_type,
            fmt.units(model.units, model.unit_type).rsplit(" ", 1)[0],
            fmt.usd(model.usd),
            fmt.diem(model.diem),
            fmt.share(model.spend, total),
        ),
        sort_values=(
            model.name.lower(),
            (model.model_type or "").lower(),
            model.unit_type,
            model.units,
            model.usd,
            model.diem,
            model.spend,
        ),
        search_text=f"{model.name} {model.model_type or ''} {model.unit_type}".lower(),
    )


def _detail_text(model: ModelUsage) -> str:
    name = escape(model.name)
    lines = [
        f"[b]{name}[/b] [dim]· {model.model_type or 'unknown type'} · {model.unit_type}[/dim]",
        f"{fmt.usd(model.usd)} USD · {fmt.diem(model.diem)} DIEM · {fmt.units(model.units, model.unit_type)}",
    ]
    if not model.breakdown:
        lines.append("\n[dim]One unit type only: Venice sends no breakdown.[/dim]")
        return "\n".join(lines)
    lines.append(f"\n[b]{'Type':<12}{'Units':>8}{'USD':>10}{'DIEM':>8}[/b]")
    for item in model.breakdown:
        kind = item.type if len(item.type) <= 11 else item.type[:10] + "…"
        lines.append(
            f"{kind:<12}{fmt.compact(item.units):>8}{fmt.usd(item.usd):>10}{fmt.diem(item.diem):>8}"
        )
    return "\n".join(lines)
