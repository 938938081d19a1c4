"""Overview: KPI tiles, daily and cumulative charts, spikes, and the top models and keys."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from venice_tui.core import format as fmt
from venice_tui.core.insights import Insights, compute
from venice_tui.core.store import Snapshot
from venice_tui.ui.chart_specs import CURRENCY_CYCLE, cumulative_lines, daily_bars
from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.kpi import KpiTile

KPIS = (
    ("kpi-usd", "Total USD", "USD"),
    ("kpi-diem", "Total DIEM", "DIEM"),
    ("kpi-today", "Today so far", "Today"),
    ("kpi-average", "Daily average", "Per day"),
    ("kpi-busiest", "Busiest day", "Busiest"),
    ("kpi-projection", "Month-end", "Forecast"),
)


class OverviewScreen(DashboardScreen):
    MODE = "overview"
    TITLE = "Overview"
    BINDINGS = [Binding("c", "cycle_currency", "USD/DIEM")]

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="kpis"):
            for kpi_id, label, short_label in KPIS:
                yield KpiTile(label, short_label, id=kpi_id)
        with Horizontal(id="overview-main"):
            with Vertical(id="overview-charts"):
                yield ChartView(id="daily-chart")
                yield ChartView(id="cumulative-chart")
            with Vertical(id="overview-side"):
                yield Static("", id="spikes")
                yield Static("", id="top-models", classes="top-list")
                yield Static("", id="top-keys", classes="top-list")

    def action_cycle_currency(self) -> None:
        venice = self.venice
        position = CURRENCY_CYCLE.index(venice.currency)
        venice.currency = CURRENCY_CYCLE[(position + 1) % len(CURRENCY_CYCLE)]
        if venice.snapshot is not None:
            self._draw_charts(venice.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        insights = compute(snapshot.analytics, self.venice.now())
        self._draw_kpis(insights)
        self._draw_charts(snapshot)
        self._draw_side(insights)

    def _draw_charts(self, snapshot: Snapshot) -> None:
        currency = self.venice.currency
        self.query_one("#daily-chart", ChartView).show(daily_bars(snapshot.analytics, currency))
        self.query_one("#cumulative-chart", ChartView).show(
            cumulative_lines(snapshot.analytics, currency)
        )

    def _draw_kpis(self, insights: Insights) -> None:
        def tile(kpi_id: str) -> KpiTile:
            return self.query_one(f"#{kpi_id}", KpiTile)

        tile("kpi-usd").set(fmt.usd(insights.total.usd), "spent in USD")
        tile("kpi-diem").set(fmt.diem(insights.total.diem), "DIEM used")
        if insights.today is None:
            tile("kpi-today").set("—", "not in this period")
        else:
            tile("kpi-today").set(
                fmt.usd(insights.today.usd), f"+ {fmt.diem(insights.today.diem)} DIEM"
            )
        average = insights.daily_average
        tile("kpi-average").set(fmt.usd(average.usd), f"+ {fmt.diem(average.diem)} DIEM")
        if insights.busiest is None:
            tile("kpi-busiest").set("—", "no spend yet")
        else:
            busiest = insights.busiest
            tile("kpi-busiest").set(
                f"{busiest.day:%a %b %d}", f"{fmt.usd(busiest.usd)} +{busiest.diem:,.0f} DIEM"
            )
        projection = insights.projection
        if projection is None:
            tile("kpi-projection").set("—", "needs a full day")
        else:
            how = "at 7-day rate" if projection.from_actuals else "rate estimate"
            tile("kpi-projection").set(fmt.usd(projection.usd), how)

    def _draw_side(self, insights: Insights) -> None:
        spikes = self.query_one("#spikes", Static)
        if insights.spikes:
            last = insights.spikes[-1]
            lines = [
                f"[b $warning]▲ Spike on {last.day:%a %b %d}[/]",
                f"  {last.spend:,.2f} USD+DIEM, {last.ratio:.1f}× a usual day",
            ]
            if last.driver:
                lines.append(f"  mostly {escape(last.driver)} (+{last.driver_extra:,.2f})")
            if len(insights.spikes) > 1:
                lines.append(
                    f"  [dim]{len(insights.spikes) - 1} more spike(s) in this period[/dim]"
                )
            spikes.update("\n".join(lines))
            spikes.display = True
        else:
            spikes.display = False
        total = insights.total.spend
        self.query_one("#top-models", Static).update(
            _top_table(
                "Top models", "2", [(m.name, m.usd, m.spend) for m in insights.top_models], total
            )
        )
        self.query_one("#top-keys", Static).update(
            _top_table(
                "Top API keys",
                "3",
                [(k.description, k.usd, k.spend) for k in insights.top_keys],
                total,
            )
        )


def _top_table(title: str, key: str, rows: list[tuple[str, float, float]], total: float) -> Table:
    """A grid that fits any panel width: names give way (with an ellipsis) before amounts do."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.title = f"[b]{title}[/b] [dim]({key})[/dim]"
    table.title_justify = "left"
    table.add_column(width=2)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    for rank, (name, usd, spend) in enumerate(rows, 1):
        table.add_row(f"{rank}.", Text(name), fmt.usd(usd), fmt.share(spend, total))
    if not rows:
        table.add_row("", "—", "", "")
    return table
