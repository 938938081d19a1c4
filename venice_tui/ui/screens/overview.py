"""Overview: KPI tiles, daily and cumulative charts, spikes, and the top models and keys."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from venice_tui.core import format as fmt
from venice_tui.core.account_state import PeriodTotals
from venice_tui.core.budgets import level_of, share_level
from venice_tui.core.export_rows import daily_table
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.insights import Insights, Projection, compute
from venice_tui.core.store import Snapshot, StoreStatus
from venice_tui.ui.charts.specs import cumulative_lines, daily_bars
from venice_tui.ui.exporting import TableSource
from venice_tui.ui.host import host
from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.widgets.budget_bar import BudgetBar
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.key_bar import KeyHint
from venice_tui.ui.widgets.kpi import KpiTile
from venice_tui.ui.widgets.money_tiles import MoneyTiles, unavailable

#: (id, label, short label for narrow terminals); what each says is in the help.
KPIS = (
    ("kpi-usd", "USD spent", "USD"),
    ("kpi-diem", "DIEM used", "DIEM"),
    ("kpi-today", "Today so far", "Today"),
    ("kpi-average", "Per full day", "Per day"),
    ("kpi-busiest", "Busiest day", "Busiest"),
    ("kpi-projection", "Month-end forecast", "Forecast"),
)
#: Under the key's own balance when the key is an INFERENCE key (billing refuses it).
ADMIN_ADDS = (
    "This INFERENCE key shows its own balance, DIEM and reset; an ADMIN key adds the usage by "
    "day, model and key, the account's balance and runway, key limits and budgets "
    f"(ctrl+p {GLYPHS.arrow} Log in with another key)"
)


class OverviewScreen(DashboardScreen):
    MODE = "overview"
    KEY_HINTS: ClassVar[tuple[KeyHint, ...]] = (("h", "Spike's hours", "app.history_at_spike"),)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "app.history_at_spike", "History at the latest spike", show=False)
    ]
    EXTRAS = ("account", "findings", "budgets")
    TITLE = "Overview"

    def export_table(self) -> TableSource | None:
        snapshot = host(self).snapshot
        days = snapshot.analytics.daily if snapshot is not None else ()
        return lambda: daily_table(days)

    def export_words(self) -> str:
        return "the daily totals of the period (USD, DIEM)"

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="kpis"):
            for kpi_id, label, short_label in KPIS:
                yield KpiTile(label, short_label, id=kpi_id)
        yield MoneyTiles(id="money")
        yield Static(Content.styled(ADMIN_ADDS, "$text-muted"), id="admin-adds")
        yield BudgetBar(id="budget-bar")
        with Horizontal(id="overview-main"):
            with Vertical(id="overview-charts"):
                yield ChartView(id="daily-chart")
                yield ChartView(id="cumulative-chart")
            with Vertical(id="overview-side"):
                yield Static("", id="spikes")
                yield Static("", id="top-models", classes="top-list")
                yield Static("", id="top-keys", classes="top-list")

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "currency", self._currency_changed, init=False)
        # Whether the key is an INFERENCE key is known from the account's slices.
        self.watch(self.app, "account", self._data_changed, init=False)

    def panel_for(self, snapshot: Snapshot | None, status: StoreStatus) -> str:
        """An INFERENCE key with no usage to show still gets its own balance, DIEM and reset."""
        if snapshot is None and host(self).account.inference_key:
            return "state-content"
        return super().panel_for(snapshot, status)

    def sync(self) -> None:
        key_only = host(self).snapshot is None and host(self).account.inference_key
        self.query_one("#state-content").set_class(key_only, "-key-only")
        super().sync()

    def redraw_extras(self, snapshot: Snapshot) -> None:
        """The month so far (the forecast) arrives beside the usage; budgets colour the tiles."""
        now = host(self).tick.now
        month = host(self).account.month_days(now.date())
        self._draw_kpis(compute(snapshot.analytics, now, month), snapshot)

    def _currency_changed(self) -> None:
        snapshot = host(self).snapshot
        if snapshot is not None and self.is_current:
            self._draw_charts(snapshot)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        snapshot = host(self).snapshot
        if snapshot is not None:
            self._draw_charts(snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        now = host(self).tick.now
        month = host(self).account.month_days(now.date())
        insights = compute(snapshot.analytics, now, month)
        self._draw_kpis(insights, snapshot)
        self._draw_charts(snapshot)
        self._draw_side(insights)

    def _draw_charts(self, snapshot: Snapshot) -> None:
        currency = host(self).currency
        data = snapshot.analytics
        self.query_one("#daily-chart", ChartView).show(daily_bars(data, currency))
        self.query_one("#cumulative-chart", ChartView).show(
            cumulative_lines(data, currency),
            "One day: no cumulative line (d picks a longer period)",
        )

    def _tile(self, kpi_id: str) -> KpiTile:
        return self.query_one(f"#{kpi_id}", KpiTile)

    def _draw_kpis(self, insights: Insights, snapshot: Snapshot) -> None:
        before = self._period_before(snapshot)
        self._tile("kpi-usd").set(
            fmt.usd(insights.total.usd),
            _change(insights.total.usd, before.totals.usd, before.period.day_count)
            if before
            else "in this period",
        )
        self._tile("kpi-diem").set(
            fmt.diem(insights.total.diem),
            _change(insights.total.diem, before.totals.diem, before.period.day_count)
            if before
            else "in this period",
        )
        today = insights.today
        day_level = level_of(host(self).findings, "account:day:")
        self._tile("kpi-today").set_level(day_level or "")
        if today is None:
            self._tile("kpi-today").set(GLYPHS.dash, "today is not in this period")
        elif day_level is not None:
            budget = host(self).budgets.account.daily_usd or 1.0
            mark = GLYPHS.cross if day_level == "over" else GLYPHS.warn
            self._tile("kpi-today").set(
                fmt.usd(today.usd), f"{mark} {fmt.percent(today.usd, budget)} of daily budget"
            )
        else:
            self._tile("kpi-today").set(fmt.usd(today.usd), f"+ {fmt.diem(today.diem)} DIEM")
        average = insights.daily_average
        if average is None:
            self._tile("kpi-average").set(GLYPHS.dash, "no full day yet")
        else:
            self._tile("kpi-average").set(fmt.usd(average.usd), f"+ {fmt.diem(average.diem)} DIEM")
        busiest = insights.busiest
        if busiest is None:
            self._tile("kpi-busiest").set(GLYPHS.dash, "no spend yet")
        else:
            self._tile("kpi-busiest").set(
                f"{busiest.day:%a %b %d}", f"{fmt.diem(busiest.spend)} USD+DIEM"
            )
        self._draw_projection(insights.projection, snapshot)

    def _period_before(self, snapshot: Snapshot) -> PeriodTotals | None:
        """The totals of the period just before the one shown, once they are known."""
        known = host(self).account.previous.value
        today = host(self).tick.now.date()
        if known is None or known.period != snapshot.period.previous(today):
            return None
        return known

    def _draw_projection(self, projection: Projection | None, snapshot: Snapshot) -> None:
        tile = self._tile("kpi-projection")
        today = host(self).tick.now.date()
        budgets = host(self).budgets
        budget = budgets.account.monthly_usd
        level = share_level(projection.usd / budget, budgets) if projection and budget else None
        tile.set_level(level or "")
        if projection is not None:
            tile.relabel(f"{projection.month} forecast", "Forecast")
            note = f"{fmt.usd(projection.so_far.usd)} so far"
            if level is not None and budget:
                mark = GLYPHS.cross if level == "over" else GLYPHS.warn
                note = f"{mark} {fmt.percent(projection.usd, budget)} of budget"
            tile.set(fmt.usd(projection.usd), note)
        elif snapshot.period.ended_before(today):
            tile.set(GLYPHS.dash, "none for a past period")
        elif host(self).account.month_days(today) is None:
            tile.set(GLYPHS.dash, unavailable(host(self).account.month))
        else:
            tile.set(GLYPHS.dash, "needs one full day")

    def _draw_side(self, insights: Insights) -> None:
        spikes = self.query_one("#spikes", Static)
        if insights.spikes:
            last = insights.spikes[-1]
            parts: list[str | tuple[str, str]] = [
                (f"{GLYPHS.spike} Spike on {last.day:%a %b %d}", "bold $text-warning"),
                f"\n  {last.spend:,.2f} USD+DIEM, {last.ratio:.1f}{GLYPHS.times} a usual day",
            ]
            if last.driver:
                parts.append(f"\n  mostly {last.driver}\n  (+{last.driver_extra:,.2f} USD+DIEM)")
            if len(insights.spikes) > 1:
                more = len(insights.spikes) - 1
                parts.append(
                    (f"\n  {more} more spike{'s' if more > 1 else ''} in this period", "dim")
                )
            spikes.update(Content.assemble(*parts))
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
    """A grid that fits any panel width: names give way (with an ellipsis) before amounts do.
    Names are `Text` built from plain strings, never parsed as markup."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.title = Text.assemble((title, "bold"), (f" by spend {GLYPHS.dot} press {key}", "dim"))
    table.title_justify = "left"
    table.add_column(width=2)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    for rank, (name, usd, spend) in enumerate(rows, 1):
        table.add_row(f"{rank}.", Text(name), fmt.usd(usd), fmt.share(spend, total))
    if not rows:
        table.add_row("", GLYPHS.dash, "", "")
    return table


def _change(now: float, before: float, days: int) -> str:
    """`+18% vs prev 30d`: the period against the one just before it."""
    if before <= 0:
        return f"none in prev {days}d" if now <= 0 else f"new vs prev {days}d"
    change = (now - before) / before
    return f"{change:+.0%} vs prev {days}d"
