"""The month so far against the monthly budget, with the month-end forecast marked on the bar.

`Nov budget ██████████▌░░░░│░░░ $268.69 of $400.00 (67%) · forecast $341.27 (85%) ⚠ near budget`
Words say what the colour says, so it reads the same without colour, and they are never cut: on
a narrow terminal the bar and the amounts give way first (`$269 of $400 (67%)`).
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from venice_tui.core import format as fmt
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.insights import project_month
from venice_tui.ui.host import host

STYLES = {"": "$primary", "warning": "$warning", "over": "$error"}


class BudgetBar(Widget):
    DEFAULT_CSS = """
    BudgetBar { height: 1; width: 1fr; padding: 0 1; }
    """

    def on_mount(self) -> None:
        for name in ("account", "snapshot", "budgets", "tick"):
            self.watch(self.app, name, self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        state = host(self)
        budget = state.budgets.account.monthly_usd
        now = state.tick.now
        if not budget:
            return Content.styled(
                f"No monthly budget {GLYPHS.dot} ctrl+p {GLYPHS.arrow} Set monthly budget…", "dim"
            )
        days = state.account.month_days(now.date())
        if days is None:
            return Content.styled(
                f"{now:%b} budget {fmt.usd(budget)} {GLYPHS.dot} month so far not loaded yet", "dim"
            )
        spent = sum(d.usd for d in days)
        snapshot = state.snapshot
        forecast = project_month(days, snapshot.analytics.daily if snapshot else (), now)
        share = spent / budget
        ahead = forecast.usd / budget if forecast else None
        level = (
            "over"
            if share >= state.budgets.alert_at
            else "warning"
            if share >= state.budgets.warn_at or (ahead or 0) >= state.budgets.alert_at
            else ""
        )
        words = {
            "over": f" {GLYPHS.cross} over budget",
            "warning": f" {GLYPHS.warn} near budget",
        }.get(level, "")
        wide = max(MIN_BAR, min(40, self.size.width // 3))
        line = Content("")
        for cents, forecast_shown in LAYOUTS:
            amount = fmt.usd if cents else _dollars
            after: list[str | tuple[str, str]] = [
                f" {amount(spent)} of {amount(budget)} ({fmt.percent(spent, budget)})"
            ]
            if forecast is not None and forecast_shown != "none":
                shown = (
                    f"{amount(forecast.usd)} ({fmt.percent(forecast.usd, budget)})"
                    if forecast_shown == "amount"
                    else fmt.percent(forecast.usd, budget)
                )
                after.append((f" {GLYPHS.dot} forecast {shown}", "dim"))
            if words:
                after.append((words, f"bold {STYLES[level]}"))
            label: tuple[str, str] = (f"{now:%b} budget ", "bold")
            rest = Content.assemble(label, *after)
            width = min(wide, self.size.width - rest.cell_length)
            line = Content.assemble(
                label, (_cells(max(MIN_BAR, width), share, ahead), STYLES[level]), *after
            )
            if width >= MIN_BAR:
                break
        return line


MIN_BAR = 10
#: (cents, forecast shown), the first that leaves room for a bar of MIN_BAR: then the amounts
#: give way (whole dollars), then the forecast (its share alone, then nothing). The words that
#: say where the month stands are never what gives way.
LAYOUTS = ((True, "amount"), (False, "amount"), (False, "share"), (False, "none"))


def _dollars(amount: float) -> str:
    """`$1,266`: an amount shortened to whole dollars where cents do not fit."""
    return f"${amount:,.0f}"


def _cells(width: int, share: float, ahead: float | None) -> str:
    filled = round(min(1.0, share) * width)
    cells = [GLYPHS.bar_full] * filled + [GLYPHS.bar_empty] * (width - filled)
    if ahead is not None:
        cells[min(width - 1, round(min(1.0, ahead) * width))] = "│" if not GLYPHS.ascii else "|"
    return "".join(cells)
