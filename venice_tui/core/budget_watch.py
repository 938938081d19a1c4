"""The budget watch of one account: its budgets and alert settings, what stands against them
now (`findings`), which crossings are news (each said once, remembered in the account's alert
log), and the numbers the status bar shows. No screen here: the dashboard delivers the alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from venice_tui.core.account_state import AccountState
from venice_tui.core.alerts import (
    Alert,
    AlertBook,
    AlertSettings,
    alerts_from,
    parse_alert_settings,
)
from venice_tui.core.budgets import Budgets, Finding, evaluate
from venice_tui.core.config import config_path, load_config
from venice_tui.core.figures import Figures
from venice_tui.core.fleet import glance_of
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.paths import display_path
from venice_tui.core.status_summary import StatusSummary, summarize


@dataclass
class BudgetWatch:
    """Load it for an account with `load`; ask `evaluate` whenever the numbers change."""

    profile: str = ""
    budgets: Budgets = field(default_factory=Budgets)
    settings: AlertSettings = field(default_factory=AlertSettings)
    book: AlertBook | None = None
    findings: tuple[Finding, ...] = ()
    #: What the status bar's summary was last made of, and when Venice gave the month so far.
    _summary_of: tuple[object, datetime] | None = None

    @classmethod
    def load(
        cls, profile: str, budgets: tuple[Budgets, list[str]], digest: str | None
    ) -> tuple[BudgetWatch, list[str]]:
        """The account's budgets (its `budgets()`: `account_budgets` decides) and the alert
        log of the account whose files are named `digest` (None: not known yet; no alert is
        said until it is); the problems with config.toml, one line each."""
        data = load_config().data
        budgets_now, problems = budgets
        settings, more = parse_alert_settings(data, display_path(config_path()))
        book = AlertBook.for_account(digest) if digest is not None else None
        return cls(profile, budgets_now, settings, book), problems + more

    def evaluate(self, state: AccountState, figures: Figures, now: datetime) -> list[Alert]:
        """Update `findings`; the alerts that are news (already marked as said). Spikes are the
        account's own (`figures`), never the period shown."""
        today = now.date()
        month = state.month.value
        if month is not None and month.period.first_and_last(today)[1] != today:
            month = None  # yesterday's month so far says nothing about today
        self.findings = tuple(evaluate(self.budgets, month, state.keys.value or (), today))
        candidates = alerts_from(self.findings, figures.spikes, state.balance.value, today)
        if self.book is None or not candidates:
            return []
        return self.book.new(candidates, now)

    def summary_due(self, state: AccountState, figures: Figures) -> StatusSummary | None:
        """The status bar's numbers when they changed, or when the last ones written grow old."""
        month = state.month
        if month.value is None or month.fetched_at is None:
            return None
        worst = glance_of(self.profile, "", state, figures, self.budgets, self.findings).severity
        made_of = (
            month.value,
            state.balance.value,
            self.budgets.account.monthly_usd,
            figures,
            worst,
        )
        written = self._summary_of
        # The same numbers again: written anew only once `statusline` would find them old.
        if (
            written is not None
            and written[0] == made_of
            and month.fetched_at - written[1] < REWRITE_AFTER
        ):
            return None
        self._summary_of = (made_of, month.fetched_at)
        return summarize(
            month.value,
            state.balance.value,
            self.budgets.account.monthly_usd,
            figures,
            worst=int(worst),
        )
