"""Models: every model, sortable and filterable, the selected one's breakdown, top models' lines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from venice_tui.core import format as fmt
from venice_tui.core.budgets import Finding
from venice_tui.core.domain import ModelUsage
from venice_tui.core.export_rows import model_table
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.store import Snapshot
from venice_tui.ui.charts.specs import breakdown_bars, no_lines_text, top_series_lines
from venice_tui.ui.exporting import TableSource
from venice_tui.ui.host import host
from venice_tui.ui.screens.table_screen import TableScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import Column, DataGrid, GridRow, flagged, tone_of
from venice_tui.ui.widgets.filter_bar import FilterBar

COLUMNS = (
    Column("name", "Model", flex=True),
    Column("type", "Type"),
    Column("unit", "Unit"),
    Column("units", "Units", numeric=True, descending=True),
    Column("usd", "USD", numeric=True, descending=True),
    Column("diem", "DIEM", numeric=True, descending=True),
    Column("share", "Share", numeric=True, descending=True),
)


class ModelsScreen(TableScreen):
    MODE = "models"
    EXTRAS = ("findings",)
    TITLE = "Models"

    def __init__(self) -> None:
        super().__init__()
        self._models: dict[str, ModelUsage] = {}
        self._total = 0.0

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="table-row"):
            with Vertical(id="table-pane"):
                yield FilterBar("#models-table")
                yield DataGrid(
                    COLUMNS, "share", id="models-table", empty_text="No model matches the filter."
                )
            with Vertical(id="detail-pane"):
                yield Static("", id="detail")
                yield ChartView(id="breakdown-chart")
        yield ChartView(id="series-chart", classes="models-series")

    def redraw_extras(self, snapshot: Snapshot) -> None:
        self.fill_table(snapshot)

    def fill_table(self, snapshot: Snapshot) -> None:
        models = snapshot.analytics.models
        self._total = snapshot.analytics.totals.spend
        self._models = {m.row_key: m for m in models}
        findings = host(self).findings
        self.grid.set_rows([_row(m, self._total, findings) for m in models])
        self.show_detail(self.grid.selected_key)

    def export_table(self) -> TableSource:
        models = [self._models[row.key] for row in self.grid.rows if row.key in self._models]
        total = self._total
        return lambda: model_table(models, total)

    def draw_series(self, snapshot: Snapshot) -> None:
        series = snapshot.analytics.model_series
        spec = top_series_lines(series, "models", host(self).currency)
        self.series_chart().show(spec, no_lines_text(series, "models"))

    def show_detail(self, row_key: str | None) -> None:
        model = self._models.get(row_key) if row_key else None
        detail = self.query_one("#detail", Static)
        chart = self.query_one("#breakdown-chart", ChartView)
        if model is None:
            detail.update(Content.styled("No model matches the filter.", "dim"))
            chart.show(None)
            chart.display = False
            return
        detail.update(_detail(model, self._total))
        spec = breakdown_bars(model)
        chart.display = spec is not None
        chart.show(spec)


def _row(model: ModelUsage, total: float, findings: tuple[Finding, ...] = ()) -> GridRow:
    tone = tone_of(findings, f"model:{model.name}:")
    return GridRow(
        key=model.row_key,
        cells=(
            flagged(model.name, tone),
            model.model_type or GLYPHS.dash,
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
        tone=tone,
    )


def _detail(model: ModelUsage, total: float) -> Content:
    """Built from plain strings: a model name is shown as sent, never parsed as markup."""
    dot = GLYPHS.dot
    parts: list[str | tuple[str, str]] = [
        (model.name, "bold"),
        (f" {dot} {model.model_type or 'unknown type'} {dot} {model.unit_type}", "dim"),
        f"\n{fmt.usd(model.usd)} USD {dot} {fmt.diem(model.diem)} DIEM {dot} "
        f"{fmt.units(model.units, model.unit_type)}",
        (f"\n{fmt.share(model.spend, total)} of the period's USD + DIEM", "dim"),
    ]
    if not model.breakdown:
        parts.append(("\n\nOne unit type only: Venice sends no breakdown.", "dim"))
        return Content.assemble(*parts)
    parts.append((f"\n\n{'Type':<12}{'Units':>8}{'USD':>10}{'DIEM':>8}", "bold"))
    for item in model.breakdown:
        parts.append(
            f"\n{fmt.truncate(item.type, 11):<12}{fmt.compact(item.units):>8}"
            f"{fmt.usd(item.usd):>10}{fmt.diem(item.diem):>8}"
        )
    return Content.assemble(*parts)
