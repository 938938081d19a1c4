"""Accounts (`0`): every profile at a glance, one row each, worst first: today, this month, its
monthly budget used with the forecast, balance, DIEM left today, runway, its worst alert, and
how old its data is or why it failed. `Enter` switches the dashboard to the selected profile.

Each row is `core.fleet.glance_of` of that account's own data: the profile on screen from the
dashboard's own store (the numbers of its Overview), every other one from its own watch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import ContentSwitcher, Static

from venice_tui.core import format as fmt
from venice_tui.core.amounts import Diem, Usd
from venice_tui.core.fleet import Glance, Severity, account_glance, glance_of, worst_first
from venice_tui.core.fleet_schedule import OTHER_INTERVAL
from venice_tui.core.format import describe_age
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.money import describe_duration
from venice_tui.core.store import Snapshot, StoreStatus
from venice_tui.ui.fleet_service import FleetView
from venice_tui.ui.host import host
from venice_tui.ui.screens.grid_screen import GridScreen
from venice_tui.ui.widgets.data_grid import Column, DataGrid, GridRow, Tone, flagged
from venice_tui.ui.widgets.filter_bar import FilterBar
from venice_tui.ui.widgets.key_bar import KeyHint

COLUMNS = (
    Column("profile", "Profile"),
    Column("key", "Key", priority=6),
    Column("today_usd", "Today", numeric=True, descending=True),
    Column("today_diem", "DIEM used", numeric=True, descending=True, priority=4),
    Column("month", "Month", numeric=True, descending=True, priority=1),
    Column("budget", "Budget", numeric=True, descending=True, priority=2),
    Column("balance", "Balance", numeric=True, descending=True, priority=3),
    Column("diem_left", "DIEM left", numeric=True, descending=True, priority=5),
    Column("runway", "Runway", numeric=True, priority=5),
    Column("alert", "Alert", flex=True),
    Column("data", "Data", priority=7),
)
TONES: dict[Severity, Tone] = {
    Severity.FAILED: "error",
    Severity.OVER_BUDGET: "error",
    Severity.KEY_AT_LIMIT: "error",
    Severity.SPIKE: "warning",
    Severity.WARNING: "warning",
    Severity.FORECAST: "warning",
    Severity.NO_DATA: "dim",
}
ADD_ONE = "venice-tui auth login --profile NAME"
NONE = -1.0


class AccountsScreen(GridScreen):
    MODE = "accounts"
    TITLE = "Accounts"
    EXTRAS = ("fleet", "account", "figures", "budgets", "findings", "status", "owner")
    KEY_HINTS: ClassVar[tuple[KeyHint, ...]] = (
        *GridScreen.KEY_HINTS,
        ("enter", "Show", "screen.show_profile"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._glances: dict[str, Glance] = {}
        self._drawn: tuple[object, ...] | None = None
        #: Each other profile's row, made again only when its data, budgets or day change.
        self._made: dict[str, tuple[tuple[object, ...], Glance]] = {}
        #: The profile Enter chose: the cursor stays on it while the dashboard switches to it.
        self._follow: str | None = None

    def compose_content(self) -> ComposeResult:
        # The table the whole width (its columns are the point), the selected row beneath.
        yield FilterBar("#accounts-table")
        yield DataGrid(COLUMNS, "alert", id="accounts-table", empty_text="No profile matches.")
        yield Static("", id="accounts-detail")
        yield Static("", id="fleet-note")

    # The rows are the fleet's, not the usage snapshot's: always the content panel.

    def panel_for(self, snapshot: Snapshot | None, status: StoreStatus) -> str:
        return "state-content"

    def sync(self) -> None:
        if self._shown_state != "state-content":
            self._shown_state = "state-content"
            self.query_one("#states", ContentSwitcher).current = "state-content"
        self.redraw()

    def extras_changed(self) -> None:
        self.redraw()

    def _ticked(self) -> None:
        if self.is_current:
            self.redraw()  # the data's age moves

    @property
    def is_up_to_date(self) -> bool:
        return self._drawn == self._inputs()

    def _inputs(self) -> tuple[object, ...]:
        state = host(self)
        return (
            state.fleet,
            state.account,
            state.figures,
            state.budgets,
            state.findings,
            state.status,
            state.owner,
            state.tick.now.replace(second=0, microsecond=0),
        )

    def redraw(self) -> None:
        inputs = self._inputs()
        if inputs == self._drawn:
            return
        first = self._drawn is None
        self._drawn = inputs
        now = host(self).tick.now
        glances = self.glances(now)
        self._glances = {g.profile: g for g in glances}
        fleet = host(self).fleet
        current = host(self).profile_name
        rank = {g.profile: float(i) for i, g in enumerate(worst_first(glances))}
        self.grid.set_rows([_row(g, rank[g.profile], now, fleet, current) for g in glances])
        follow = self._follow or (current if first else None)
        if follow is not None:  # opened: on the one on screen; after Enter: on the one chosen
            self.grid.select(follow)
            if follow == current:
                self._follow = None
        self.show_detail(self.grid.selected_key)
        self.query_one("#fleet-note", Static).update(_note(fleet, len(glances)))

    def glances(self, now: datetime) -> list[Glance]:
        """One row per profile: the one on screen from the dashboard's own figures."""
        state = host(self)
        fleet = state.fleet
        current = state.profile_name
        failure = state.status.error if state.snapshot is None or state.status.error else None
        rows = [
            glance_of(
                current,
                _mask(fleet.current_key),
                state.account,
                state.figures,
                state.budgets,
                state.findings,
                failure,
            )
        ]
        for profile in fleet.profiles:
            watched = fleet.others.get(profile)
            if profile == current or watched is None:
                continue
            budgets = fleet.budgets.get(profile)
            if budgets is None:
                continue  # read with the disk, in the same step
            made = (watched, budgets, now.date())
            memo = self._made.get(profile)
            if memo is None or memo[0] != made:
                glance = account_glance(
                    profile,
                    _mask(watched.key_tail),
                    watched.state,
                    budgets,
                    now.date(),
                    watched.error,
                )
                memo = self._made[profile] = (made, glance)
            rows.append(memo[1])
        return rows

    def show_detail(self, row_key: str | None) -> None:
        glance = self._glances.get(row_key) if row_key else None
        detail = self.query_one("#accounts-detail", Static)
        if glance is None:
            detail.update(Content.styled("No profile matches the filter.", "dim"))
            return
        fleet = host(self).fleet
        watched = fleet.others.get(glance.profile)
        loading = watched is not None and watched.loading
        on_screen = glance.profile == host(self).profile_name
        detail.update(_detail(glance, host(self).tick.now, on_screen, loading, fleet))

    async def action_show_profile(self) -> None:
        profile = self.grid.selected_key
        if profile is not None and not self.is_typing:
            await self._show(profile)

    @on(DataGrid.Selected)
    async def _selected(self, event: DataGrid.Selected) -> None:
        event.stop()
        await self._show(event.row_key)

    async def _show(self, profile: str) -> None:
        if profile == host(self).profile_name:
            self.app.notify(f"Profile {profile} is on screen.", timeout=3, markup=False)
            return
        if not host(self).fleet.can_switch:
            return
        self._follow = profile
        await self.app.run_action(f"switch_profile({profile!r})")


def _age(glance: Glance, now: datetime) -> float:
    age = glance.age_seconds(now)
    return float("inf") if age is None else age


def _freshness(glance: Glance, now: datetime) -> str:
    """Redrawn once a minute: an age under one reads as such, not as seconds that stand still."""
    age = glance.age_seconds(now)
    if glance.failure is None and age is not None and age < 60:
        return "updated under a minute ago"
    return glance.freshness(now)


def _mask(tail: str | None) -> str:
    return f"{GLYPHS.mask}{tail}" if tail else ""


def _tone(glance: Glance) -> Tone:
    return TONES.get(glance.severity, "")


def _budget_text(glance: Glance) -> str:
    share, forecast = glance.budget_share, glance.forecast_share
    if share is None or glance.budget_usd is None or glance.month_usd is None:
        return GLYPHS.dash
    text = fmt.percent(glance.month_usd.amount, glance.budget_usd)
    if forecast is not None and glance.forecast is not None:
        text += f" {GLYPHS.arrow} {fmt.percent(glance.forecast.usd.amount, glance.budget_usd)}"
    return text


def _runway_text(glance: Glance) -> tuple[str, float]:
    estimate = glance.runway
    if estimate is None:
        return GLYPHS.dash, float("inf")
    if estimate.days is None:
        return "no end in sight", float("inf")
    return f"{estimate.days:,.0f} days", estimate.days


def _row(glance: Glance, rank: float, now: datetime, fleet: FleetView, current: str) -> GridRow:
    tone = _tone(glance)
    runway_text, runway_days = _runway_text(glance)
    watched = fleet.others.get(glance.profile)
    age = glance.age_seconds(now)
    data = _freshness(glance, now)
    if glance.failure is not None:  # the failure is the Alert: here only how old the data is
        data = f"failed {GLYPHS.dot} data from {describe_age(age)}" if age is not None else "failed"
    if glance.profile == current:
        data = f"on screen {GLYPHS.dot} {data}"
    elif watched is not None and watched.loading and glance.as_of is None:
        data = f"fetching{GLYPHS.ellipsis}"
    alert = glance.alert or ("no data yet" if glance.severity is Severity.NO_DATA else "ok")
    return GridRow(
        key=glance.profile,
        cells=(
            glance.profile,
            glance.key or GLYPHS.dash,
            fmt.usd(glance.today_usd.amount) if glance.today_usd else GLYPHS.dash,
            fmt.diem(glance.today_diem.amount) if glance.today_diem else GLYPHS.dash,
            fmt.usd(glance.month_usd.amount) if glance.month_usd else GLYPHS.dash,
            _budget_text(glance),
            fmt.usd(glance.balance_usd) if glance.balance_usd is not None else GLYPHS.dash,
            fmt.diem(glance.diem_left) if glance.diem_left is not None else GLYPHS.dash,
            runway_text,
            flagged(alert, tone),
            data,
        ),
        sort_values=(
            glance.profile.lower(),
            glance.key,
            glance.today_usd.amount if glance.today_usd else NONE,
            glance.today_diem.amount if glance.today_diem else NONE,
            glance.month_usd.amount if glance.month_usd else NONE,
            glance.budget_share if glance.budget_share is not None else NONE,
            glance.balance_usd if glance.balance_usd is not None else NONE,
            glance.diem_left if glance.diem_left is not None else NONE,
            runway_days,
            rank,
            _age(glance, now),
        ),
        search_text=f"{glance.profile} {glance.key} {glance.severity.label} {alert} {data}".lower(),
        tone=tone,
    )


def _detail(
    glance: Glance, now: datetime, on_screen: bool, loading: bool, fleet: FleetView
) -> Content:
    """Built from plain strings: alert and failure texts are shown as sent, never parsed."""
    dot = f" {GLYPHS.dot} "
    parts: list[str | tuple[str, str]] = [(f"profile {glance.profile}", "bold")]
    if glance.key:
        parts.append((f"{dot}key {glance.key}", "dim"))
    tone = _tone(glance)
    if glance.alert:
        style = "$text-error" if tone == "error" else "$text-warning"
        mark = GLYPHS.cross if tone == "error" else GLYPHS.warn
        parts.append((f"\n{mark} {glance.alert}", f"bold {style}"))
    parts.append(
        f"\nToday {_pair(glance.today_usd, glance.today_diem)}"
        f"   This month {_pair(glance.month_usd, glance.month_diem)}"
    )
    money = []
    if glance.budget_usd is not None:
        words = f" ({glance.standing.words})" if glance.standing.words else ""
        money.append(f"Budget {fmt.usd(glance.budget_usd)}/month {_budget_text(glance)}{words}")
    if glance.forecast is not None:
        money.append(f"forecast {fmt.money(glance.forecast.usd)} for the month")
    if money:
        parts.append("\n" + dot.join(money))
    left = []
    if glance.balance_usd is not None:
        left.append(f"Balance {fmt.usd(glance.balance_usd)}")
    if glance.diem_left is not None:
        left.append(f"DIEM left today {fmt.diem(glance.diem_left)}")
    if glance.runway is not None:
        left.append(f"runway {_runway_text(glance)[0]}")
    if left:
        parts.append("\n" + dot.join(left))
    age = glance.age_seconds(now)
    if glance.failure is not None:  # the failure is said above, as the alert: here its data's age
        fresh = f"data from {describe_age(age)}" if age is not None else "no data yet"
    else:
        fresh = _freshness(glance, now)
    status = [fresh] + ([f"fetching now{GLYPHS.ellipsis}"] if loading else [])
    if on_screen:
        status.append("on screen now (1 to 4)")
    elif fleet.can_switch:
        status.append("Enter shows this profile on every screen")
    parts.append(("\n" + dot.join(status), "dim"))
    return Content.assemble(*parts)


def _pair(usd: Usd | None, diem: Diem | None) -> str:
    usd_text = fmt.usd(usd.amount) if usd is not None else GLYPHS.dash
    diem_text = f"{fmt.diem(diem.amount)} DIEM" if diem is not None else f"{GLYPHS.dash} DIEM"
    return f"{usd_text} {GLYPHS.dot} {diem_text}"


def _note(fleet: FleetView, rows: int) -> Content:
    if fleet.note:
        return Content.styled(fleet.note, "dim")
    if rows <= 1:
        return Content.styled(
            f"One profile so far. Add another with `{ADD_ONE}`; it shows here.", "dim"
        )
    every = describe_duration(timedelta(seconds=OTHER_INTERVAL))
    return Content.styled(
        f"Profiles not on screen are refreshed every {every}, each on its own; "
        "the one on screen as the status line says.",
        "dim",
    )
