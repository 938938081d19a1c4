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
from venice_tui.core.budgets import level_of, month_standing
from venice_tui.core.comparison import compare
from venice_tui.core.export_rows import daily_table
from venice_tui.core.figures import Figures
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.insights import Insights, compute
from venice_tui.core.key_names import key_names
from venice_tui.core.marks import mark, mark_modules
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
    ("kpi-average", "7-day average", "7d avg"),
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
    EXTRAS = ("account", "figures", "findings", "budgets")
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
        mark("overview mounted")
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
        """The account's figures arrive beside the usage; budgets colour the tiles."""
        insights = compute(snapshot.analytics)
        self._draw_kpis(insights, snapshot)
        self._draw_spikes(snapshot)
        self._draw_tops(insights)  # the key list names twins apart

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
        mark("overview filling")
        insights = compute(snapshot.analytics)
        self._draw_kpis(insights, snapshot)
        self._draw_charts(snapshot)
        self._draw_spikes(snapshot)
        self._draw_tops(insights)
        self.call_after_refresh(mark_modules, f"{snapshot.source.value} data painted")

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
        state = host(self)
        comparison = compare(snapshot.period, state.account.previous.value, state.tick.now.date())
        total = insights.total
        for kpi_id, now, before, text in (
            ("kpi-usd", total.usd, comparison.before.usd if comparison else 0.0, fmt.usd),
            ("kpi-diem", total.diem, comparison.before.diem if comparison else 0.0, fmt.diem),
        ):
            note = comparison.note(now, before, text(before)) if comparison else "in this period"
            self._tile(kpi_id).set(text(now), note)
        figures = state.figures
        self._draw_today(figures)
        rate = figures.rate
        if rate is None:
            self._tile("kpi-average").set(GLYPHS.dash, unavailable(state.account.recent))
        else:
            self._tile("kpi-average").set(fmt.money(rate.usd), f"+ {fmt.money(rate.diem)}")
        busiest = insights.busiest
        if busiest is None:
            self._tile("kpi-busiest").set(GLYPHS.dash, "no spend yet")
        else:
            self._tile("kpi-busiest").set(
                f"{busiest.day:%a %b %d}", f"{fmt.diem(busiest.spend)} USD+DIEM"
            )
        self._draw_forecast(figures)

    def _draw_today(self, figures: Figures) -> None:
        tile = self._tile("kpi-today")
        today = figures.today_so_far
        level = level_of(host(self).findings, "account:day:")
        tile.set_level(level or "")
        budget = host(self).budgets.account.daily_usd
        if today is None:
            tile.set(GLYPHS.dash, unavailable(host(self).account.month))
        elif level is not None and budget:
            mark = GLYPHS.cross if level == "over" else GLYPHS.warn
            tile.set(fmt.usd(today.usd), f"{mark} {fmt.percent(today.usd, budget)} of daily budget")
        else:
            tile.set(fmt.usd(today.usd), f"+ {fmt.diem(today.diem)} DIEM")

    def _draw_forecast(self, figures: Figures) -> None:
        tile = self._tile("kpi-projection")
        forecast = figures.forecast
        budgets = host(self).budgets
        budget = budgets.account.monthly_usd
        if forecast is None or figures.month_usd is None:
            tile.set_level("")
            why = (
                host(self).account.month if figures.month_usd is None else host(self).account.recent
            )
            tile.set(GLYPHS.dash, unavailable(why))
            return
        tile.relabel(f"{forecast.month} forecast", "Forecast")
        note = f"{fmt.money(forecast.so_far_usd)} so far"
        standing = month_standing(
            figures.month_usd.amount, forecast.usd.amount, budget or 0, budgets
        )
        tile.set_level(standing.level or "", standing.words)
        if standing.level is not None and budget:
            mark = GLYPHS.cross if standing.level == "over" else GLYPHS.warn
            note = f"{mark} {fmt.percent(forecast.usd.amount, budget)} of budget"
        tile.set(fmt.money(forecast.usd), note)

    def _draw_spikes(self, snapshot: Snapshot) -> None:
        """The account's spikes (judged the same whatever the period) that fall in the view."""
        first, last = snapshot.period.first_and_last(host(self).tick.now.date())
        spikes = host(self).figures.spikes_within(first, last)
        panel = self.query_one("#spikes", Static)
        panel.display = bool(spikes)
        if not spikes:
            return
        latest = spikes[-1]
        parts: list[str | tuple[str, str]] = [
            (f"{GLYPHS.spike} Spike on {latest.day:%a %b %d}", "bold $text-warning"),
            f"\n  {fmt.money(latest.spend)}, {latest.ratio:.1f}{GLYPHS.times} a usual day",
        ]
        if latest.driver:
            extra = fmt.money(latest.driver_extra)
            parts.append(f"\n  mostly {latest.driver}\n  (+{extra})")
        if len(spikes) > 1:
            more = len(spikes) - 1
            parts.append((f"\n  {more} more spike{'s' if more > 1 else ''} in this period", "dim"))
        panel.update(Content.assemble(*parts))

    def _draw_tops(self, insights: Insights) -> None:
        total = insights.total.spend
        self.query_one("#top-models", Static).update(
            _top_table(
                "Top models", "2", [(m.name, m.usd, m.spend) for m in insights.top_models], total
            )
        )
        snapshot, account = host(self).snapshot, host(self).account
        names = key_names(snapshot.analytics.keys if snapshot else (), account.keys.value or ())
        self.query_one("#top-keys", Static).update(
            _top_table(
                "Top API keys",
                "3",
                [(names.name(k.key_id, k.description), k.usd, k.spend) for k in insights.top_keys],
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
