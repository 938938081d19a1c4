"""The month so far against the monthly budget, with the month-end forecast marked on the bar.

`Nov budget ██████████░░░░│░░░ $268.69 of $400.00 (67%) · forecast $341.27 (85%) ⚠ forecast near budget`
Words say what the colour says, so it reads the same without colour, and they are never cut: on
a narrow terminal the bar and the amounts give way first (`$269 of $400 (67%)`). The words, the
month so far and the forecast are the account's (`core.figures`, `budgets.month_standing`), the
same the forecast tile, alerts and `check` show.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from venice_tui.core import format as fmt
from venice_tui.core.budgets import month_standing
from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.host import host

STYLES = {"": "$primary", "warning": "$warning", "over": "$error"}


class BudgetBar(Widget):
    DEFAULT_CSS = """
    BudgetBar { height: 1; width: 1fr; padding: 0 1; }
    """

    def on_mount(self) -> None:
        for name in ("figures", "budgets"):
            self.watch(self.app, name, self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        state = host(self)
        budgets, figures = state.budgets, state.figures
        budget = budgets.account.monthly_usd
        month = f"{figures.today:%b}"
        if not budget:
            return Content.styled(
                f"No monthly budget {GLYPHS.dot} ctrl+p {GLYPHS.arrow} Set monthly budget…", "dim"
            )
        if figures.month_usd is None:
            return Content.styled(
                f"{month} budget {fmt.usd(budget)} {GLYPHS.dot} month so far not loaded yet", "dim"
            )
        spent = figures.month_usd.amount
        forecast = figures.forecast
        standing = month_standing(spent, forecast.usd.amount if forecast else None, budget, budgets)
        level = standing.level or ""
        mark = GLYPHS.cross if level == "over" else GLYPHS.warn
        words = f" {mark} {standing.words}" if standing.words else ""
        share = spent / budget
        ahead = forecast.usd.amount / budget if forecast else None
        wide = max(MIN_BAR, min(MAX_BAR, self.size.width // 3))
        label: tuple[str, str] = (f"{month} budget ", "bold")
        line = Content("")
        for cents, forecast_shown in LAYOUTS:
            amount = fmt.usd if cents else _dollars
            after: list[str | tuple[str, str]] = [
                f" {amount(spent)} of {amount(budget)} ({fmt.percent(spent, budget)})"
            ]
            if forecast is not None and forecast_shown != "none":
                expected = forecast.usd.amount
                shown = (
                    f"{amount(expected)} ({fmt.percent(expected, budget)})"
                    if forecast_shown == "amount"
                    else fmt.percent(expected, budget)
                )
                after.append((f" {GLYPHS.dot} forecast {shown}", "dim"))
            if words:
                after.append((words, f"bold {STYLES[level]}"))
            rest = Content.assemble(label, *after)
            width = min(wide, self.size.width - rest.cell_length)
            line = Content.assemble(
                label, (_cells(max(MIN_BAR, width), share, ahead), STYLES[level]), *after
            )
            if width >= MIN_BAR:
                break
        return line


MIN_BAR, MAX_BAR = 10, 40
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
