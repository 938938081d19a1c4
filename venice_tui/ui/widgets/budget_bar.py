"""The month so far against the monthly budget, with the month-end forecast marked on the bar.

`Nov budget ██████████░░░░│░░░ $268.69 of $400.00 (67%) · forecast $341.27 (85%) ⚠ forecast near budget`
Words say what the colour says, so it reads the same without colour; the words, the month so
far and the forecast are the account's (`core.figures`, `budgets.month_standing`), the same the
forecast tile, alerts and `check` show.
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
MIN_CELLS, MAX_CELLS = 10, 40


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
        head = f"{month} budget "
        amounts = f" {fmt.usd(spent)} of {fmt.usd(budget)} ({fmt.percent(spent, budget)})"
        ahead = ""
        if forecast is not None:
            share = fmt.percent(forecast.usd.amount, budget)
            ahead = f" {GLYPHS.dot} forecast {fmt.money(forecast.usd)} ({share})"
        mark = GLYPHS.cross if level == "over" else GLYPHS.warn
        words = f" {mark} {standing.words}" if standing.words else ""
        # The words say what the colour says: they stay; the forecast's amount gives way first
        # (the │ marks it), then the bar narrows.
        room = self.size.width - len(head) - len(amounts) - len(words)
        if room - len(ahead) < MIN_CELLS:
            ahead = ""
        width = max(MIN_CELLS, min(MAX_CELLS, room - len(ahead)))
        filled = round(min(1.0, spent / budget) * width)
        cells = [GLYPHS.bar_full] * filled + [GLYPHS.bar_empty] * (width - filled)
        if forecast is not None:
            at = min(1.0, forecast.usd.amount / budget)
            cells[min(width - 1, round(at * width))] = "│" if not GLYPHS.ascii else "|"
        return Content.assemble(
            (head, "bold"),
            ("".join(cells), STYLES[level]),
            amounts,
            (ahead, "dim"),
            (words, f"bold {STYLES[level]}"),
        )
