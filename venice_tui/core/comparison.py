"""Period over period, like for like: the period shown against the one just before it.

A period over (a past range) is set against the whole period before. A period still running
(every lookback: today is not over) is set against the period before cut at the same hour:
its last day counts only up to the time it is now, which the ledger tells (the rows after that
hour are taken off). Without the ledger for those hours there is no like for like, and no
percentage is made up: the period before is shown in all, said as such (`prev 1d $412.30`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from venice_tui.api.models import Totals
from venice_tui.api.period import Period
from venice_tui.core.account_state import PeriodTotals
from venice_tui.core.numbers import change


@dataclass(frozen=True, slots=True)
class Comparison:
    days: int
    #: The period before, cut like the one shown when `like_for_like`, else in all.
    before: Totals
    like_for_like: bool
    #: The hour the period before's last day is cut at (None: not cut).
    cut: datetime | None = None

    def note(self, now: float, before: float, amount: str) -> str:
        """A tile's line: `+18% vs prev 30d`, `new vs prev 7d`, or `prev 1d $412.30`
        (`amount` is `before` formatted in its currency)."""
        if not self.like_for_like:
            return f"prev {self.days}d {amount}"
        if before <= 0:
            return f"none in prev {self.days}d" if now <= 0 else f"new vs prev {self.days}d"
        return f"{change(now, before)} vs prev {self.days}d"


def compare(shown: Period, previous: PeriodTotals | None, today: date) -> Comparison | None:
    """None until the period before the one shown is known."""
    if previous is None or previous.period != shown.previous(today):
        return None
    days = shown.day_count
    if shown.ended_before(today):
        return Comparison(days, previous.totals, like_for_like=True)
    if previous.tail is None:
        return Comparison(days, previous.totals, like_for_like=False)
    whole, tail = previous.totals, previous.tail
    cut = Totals(max(0.0, whole.usd - tail.usd), max(0.0, whole.diem - tail.diem))
    return Comparison(days, cut, like_for_like=True, cut=previous.cut)
