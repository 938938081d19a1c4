"""Budgets and alerts in the dashboard: the budgets of the profile, what stands against them
(`findings`, watched by the screens for their colours), and each crossing delivered once:
a notification, the bell, the terminal's desktop notification and the person's command.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from datetime import datetime

from textual import work
from textual.app import App, SystemCommand
from textual.reactive import reactive

from venice_tui.core.account_state import AccountState
from venice_tui.core.alerts import (
    Alert,
    AlertBook,
    AlertSettings,
    alerts_from,
    desktop_sequence,
    parse_alert_settings,
    run_notify_command,
)
from venice_tui.core.budgets import Budgets, Finding, budgets_from, evaluate
from venice_tui.core.config import ConfigWriteError, config_path, edit_config, load_config
from venice_tui.core.figures import Figures
from venice_tui.core.format import usd
from venice_tui.core.paths import display_path
from venice_tui.core.status_summary import summarize, summary_path, write_summary

SEVERITY = {"over": "error", "warning": "warning", "info": "information"}


class AlertingMixin(App[int]):
    #: The profile's budgets (config.toml `[budget.<profile>]`).
    budgets: reactive[Budgets] = reactive(Budgets)
    #: Budgets and Venice key limits at or past their warning threshold, worst first.
    findings: reactive[tuple[Finding, ...]] = reactive(tuple)

    alert_settings = AlertSettings()
    alert_book: AlertBook | None = None

    def load_budgets(
        self, profile: str, base_url: str, fallback: Budgets | None = None
    ) -> list[str]:
        """Read the profile's budgets and alert settings; the problems, one line each."""
        config = load_config()
        where = display_path(config_path())
        budgets, problems = budgets_from(config.data, profile, where, fallback)
        settings, more = parse_alert_settings(config.data, where)
        self.budgets, self.alert_settings = budgets, settings
        self.budget_profile = profile
        self.alert_book = AlertBook.for_account(profile, base_url)
        return problems + more

    _summary_of: datetime | None = None

    def keep_status_summary(
        self, account: AccountState, figures: Figures, where: tuple[str, str]
    ) -> None:
        """The numbers `venice-tui statusline` shows, written when this month's are new."""
        month = account.month
        if month.value is None or month.fetched_at is None or month.fetched_at == self._summary_of:
            return
        self._summary_of = month.fetched_at
        summary = summarize(
            month.value, account.balance.value, self.budgets.account.monthly_usd, figures
        )
        self.run_worker(
            lambda: write_summary(summary_path(*where), summary),
            thread=True,
            group="summary",
            exit_on_error=False,
        )

    def evaluate_alerts(self, account: AccountState, figures: Figures, now: datetime) -> None:
        today = now.date()
        month = account.month.value
        if month is not None and month.period.first_and_last(today)[1] != today:
            month = None  # yesterday's month so far says nothing about today
        findings = evaluate(self.budgets, month, account.keys.value or (), today)
        if tuple(findings) != self.findings:
            self.findings = tuple(findings)
        candidates = alerts_from(findings, figures.spikes, account.balance.value, today)
        if self.alert_book is not None and candidates:
            self.deliver(self.alert_book.new(candidates, now))

    def deliver(self, alerts: Iterable[Alert]) -> None:
        for alert in alerts:
            self.notify(alert.message, severity=SEVERITY[alert.level], timeout=12, markup=False)  # type: ignore[arg-type]
            if self.alert_settings.bell and alert.level != "info":
                self.bell()
            if self.alert_settings.desktop:
                self.desktop_notify(alert.message)
            if self.alert_settings.notify_command:
                run_notify_command(self.alert_settings.notify_command, alert.message)

    def desktop_notify(self, message: str) -> None:
        """The terminal's own notification (it reaches a laptop through SSH and tmux): written
        in one call to the terminal Textual draws on, so it never splits a frame. In a browser
        (`venice-tui serve`) there is no terminal to ask: the toast and the log say it."""
        if self.is_headless or self.is_web or sys.__stderr__ is None:
            return
        sequence = desktop_sequence(message, in_tmux=bool(os.environ.get("TMUX")))
        with contextlib.suppress(OSError):
            os.write(sys.__stderr__.fileno(), sequence.encode())

    def action_alert_log(self) -> None:
        from venice_tui.ui.screens.alert_log import AlertLogScreen

        log = list(self.alert_book.log) if self.alert_book is not None else []
        self.push_screen(AlertLogScreen(log, list(self.findings)))

    def action_set_budget(self, which: str) -> None:
        from venice_tui.ui.screens.budget_dialog import BudgetDialog

        current = (
            self.budgets.account.monthly_usd
            if which == "monthly_usd"
            else self.budgets.account.daily_usd
        )
        words = "monthly" if which == "monthly_usd" else "daily"
        self.push_screen(
            BudgetDialog(
                words,
                current,
                display_path(config_path()),
                (self.budgets.warn_at, self.budgets.alert_at),
            ),
            lambda value: self._budget_chosen(which, value),
        )

    def _budget_chosen(self, which: str, value: float | str | None) -> None:
        if value == "cancel":
            return
        self._write_budget(which, value if isinstance(value, float) else None)

    @work(thread=True, group="config", exit_on_error=False)
    def _write_budget(self, which: str, value: float | None) -> None:
        profile = self.budget_profile

        def change(document: object) -> None:
            import tomlkit

            assert isinstance(document, tomlkit.TOMLDocument)
            budget = document.setdefault("budget", tomlkit.table(is_super_table=True))
            mine = budget.setdefault(profile, tomlkit.table())
            if value is None:
                mine.pop(which, None)
            else:
                mine[which] = round(value, 2)

        try:
            path = edit_config(change)
        except (ConfigWriteError, OSError) as exc:
            self.call_from_thread(
                self.notify,
                f"The budget was not saved: {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
            return
        said = "removed" if value is None else f"set to {usd(value)}"
        self.call_from_thread(
            self._budgets_written,
            f"The {which.split('_')[0]} budget is {said} in {display_path(path)}.",
        )

    def _budgets_written(self, message: str) -> None:
        self._summary_of = None  # the status bar's budget changed too
        self.reload_budgets()
        self.notify(message, timeout=6, markup=False)

    def reload_budgets(self) -> None:
        raise NotImplementedError

    def budget_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Set monthly budget…",
            "A USD budget for this calendar month (saved in config.toml)",
            lambda: self.action_set_budget("monthly_usd"),
        )
        yield SystemCommand(
            "Set daily budget…",
            "A USD budget for each UTC day (saved in config.toml)",
            lambda: self.action_set_budget("daily_usd"),
        )
