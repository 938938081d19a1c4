"""Overview: KPI tiles, daily and cumulative charts, spikes, and the top models and keys."""

from __future__ import annotations

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
    ("kpi-usd", "Total USD"),
    ("kpi-diem", "Total DIEM"),
    ("kpi-today", "Today so far"),
    ("kpi-average", "Daily average"),
    ("kpi-busiest", "Busiest day"),
    ("kpi-projection", "Month-end"),
)


class OverviewScreen(DashboardScreen):
    MODE = "overview"
    TITLE = "Overview"
    BINDINGS = [Binding("c", "cycle_currency", "USD/DIEM")]

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="kpis"):
            for kpi_id, label in KPIS:
                yield KpiTile(label, id=kpi_id)
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
        self.query_one("#cumulative-chart", ChartView).show(cumulative_lines(snapshot.analytics, currency))

    def _draw_kpis(self, insights: Insights) -> None:
        def tile(kpi_id: str) -> KpiTile:
            return self.query_one(f"#{kpi_id}", KpiTile)

        tile("kpi-usd").set(fmt.usd(insights.total.usd), "spent in USD")
        tile("kpi-diem").set(fmt.diem(insights.total.diem), "DIEM used")
        if insights.today is None:
            tile("kpi-today").set("—", "not in this period")
        else:
            tile("kpi-today").set(fmt.usd(insights.today.usd), f"+ {fmt.diem(insights.today.diem)} DIEM")
        average = insights.daily_average
        tile("kpi-average").set(fmt.usd(average.usd), f"+ {fmt.diem(average.diem)} DIEM")
        if insights.busiest is None:
            tile("kpi-busiest").set("—", "no spend yet")
        else:
            busiest = insights.busiest
            tile("kpi-busiest").set(f"{busiest.day:%a %b %d}", f"{fmt.usd(busiest.usd)} + {fmt.diem(busiest.diem)} DIEM")
        projection = insights.projection
        if projection is None:
            tile("kpi-projection").set("—", "needs a full day")
        else:
            how = "at 7-day rate" if projection.from_actuals else "7-day rate × month"
            tile("kpi-projection").set(fmt.usd(projection.usd), f"{projection.month}, {how}")

    def _draw_side(self, insights: Insights) -> None:
        spikes = self.query_one("#spikes", Static)
        if insights.spikes:
            last = insights.spikes[-1]
            driver = f"\n  mostly {last.driver} (+{fmt.usd(last.driver_extra)})" if last.driver else ""
            more = f"\n  [dim]{len(insights.spikes) - 1} more in this period[/dim]" if len(insights.spikes) > 1 else ""
            spikes.update(
                f"[b $warning]▲ Spike[/] {last.day:%a %b %d}: {fmt.usd(last.spend)} "
                f"({last.ratio:.1f}× a usual day){driver}{more}"
            )
            spikes.display = True
        else:
            spikes.display = False
        total = insights.total.spend
        models = "\n".join(
            f"{i}. {_fit(m.name, 17)} {fmt.usd(m.usd):>10}  {fmt.share(m.spend, total):>6}"
            for i, m in enumerate(insights.top_models, 1)
        )
        keys = "\n".join(
            f"{i}. {_fit(k.description, 17)} {fmt.usd(k.usd):>10}  {fmt.share(k.spend, total):>6}"
            for i, k in enumerate(insights.top_keys, 1)
        )
        self.query_one("#top-models", Static).update(f"[b]Top models[/b] [dim](2)[/dim]\n{models or '—'}")
        self.query_one("#top-keys", Static).update(f"[b]Top API keys[/b] [dim](3)[/dim]\n{keys or '—'}")


def _fit(text: str, width: int) -> str:
    cut = text if len(text) <= width else text[: width - 1] + "…"
    return cut.ljust(width).replace("[", r"\[")
