"""The budget desk of the dashboard: the account's `BudgetWatch` (core: budgets, findings, which
crossings are news), each new alert delivered once (a notification, the bell, the terminal's
desktop notification, the person's command), the budget dialog and the alert log.

A component the app holds: it publishes the budgets and findings through one callback, which the
app mirrors into reactives for the screens (their colours follow them).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from textual.app import App, SystemCommand

from venice_tui.core.account_state import AccountState
from venice_tui.core.alerts import Alert, desktop_sequence, run_notify_command
from venice_tui.core.budget_watch import BudgetWatch
from venice_tui.core.budgets import Budgets, Finding
from venice_tui.core.config import ConfigWriteError, config_path, edit_config
from venice_tui.core.figures import Figures
from venice_tui.core.format import usd
from venice_tui.core.paths import display_path
from venice_tui.core.status_summary import summary_path, write_summary

SEVERITY = {"over": "error", "warning": "warning", "info": "information"}


class BudgetedAccount(Protocol):
    @property
    def profile(self) -> str: ...

    def budgets(self) -> tuple[Budgets, list[str]]: ...


class BudgetDesk:
    def __init__(
        self,
        app: App[int],
        publish: Callable[[Budgets, tuple[Finding, ...]], None],
        on_written: Callable[[], None],
    ) -> None:
        self._app = app
        self._publish = publish
        self._on_written = on_written
        self.watch = BudgetWatch()
        #: The account the watch is for: its budgets, its files' alert log.
        self._whose: tuple[BudgetedAccount, str | None] | None = None

    def load(self, account: BudgetedAccount, digest: str | None) -> list[str]:
        """The account's budgets and the alert log of the account named `digest`; the problems
        with config.toml, one line each."""
        self._whose = (account, digest)
        self.watch, problems = BudgetWatch.load(account.profile, account.budgets(), digest)
        self._publish(self.watch.budgets, self.watch.findings)
        return problems

    def evaluate(self, state: AccountState, figures: Figures, now: datetime) -> None:
        """What stands against the budgets now (published), and the news delivered."""
        before = self.watch.findings
        alerts = self.watch.evaluate(state, figures, now)
        if self.watch.findings != before:
            self._publish(self.watch.budgets, self.watch.findings)
        self.deliver(alerts)
        summary = self.watch.summary_due(state, figures)
        digest = self._whose[1] if self._whose is not None else None
        if summary is not None and digest is not None:
            path = summary_path(digest)
            self._app.run_worker(
                lambda: write_summary(path, summary),
                thread=True,
                group="summary",
                exit_on_error=False,
            )

    def deliver(self, alerts: Iterable[Alert]) -> None:
        settings = self.watch.settings
        for alert in alerts:
            self._app.notify(
                alert.message,
                severity=SEVERITY[alert.level],  # type: ignore[arg-type]
                timeout=12,
                markup=False,
            )
            if settings.bell and alert.level != "info":
                self._app.bell()
            if settings.desktop:
                self.desktop_notify(alert.message)
            if settings.notify_command:
                run_notify_command(settings.notify_command, alert.message)

    def desktop_notify(self, message: str) -> None:
        """The terminal's own notification (it reaches a laptop through SSH and tmux): written
        in one call to the terminal Textual draws on, so it never splits a frame. In a browser
        (`venice-tui serve`) there is no terminal to ask: the toast and the log say it."""
        if self._app.is_headless or self._app.is_web or sys.__stderr__ is None:
            return
        sequence = desktop_sequence(message, in_tmux=bool(os.environ.get("TMUX")))
        with contextlib.suppress(OSError):
            os.write(sys.__stderr__.fileno(), sequence.encode())

    def show_log(self) -> None:
        from venice_tui.ui.screens.alert_log import AlertLogScreen

        book = self.watch.book
        log = list(book.log) if book is not None else []
        self._app.push_screen(AlertLogScreen(log, list(self.watch.findings)))

    def ask_budget(self, which: str) -> None:
        from venice_tui.ui.screens.budget_dialog import BudgetDialog

        limits = self.watch.budgets.account
        current = limits.monthly_usd if which == "monthly_usd" else limits.daily_usd
        words = "monthly" if which == "monthly_usd" else "daily"
        budgets = self.watch.budgets
        self._app.push_screen(
            BudgetDialog(
                words, current, display_path(config_path()), (budgets.warn_at, budgets.alert_at)
            ),
            lambda value: self._budget_chosen(which, value),
        )

    def _budget_chosen(self, which: str, value: float | str | None) -> None:
        if value == "cancel" or self._whose is None:
            return
        profile = self._whose[0].profile
        chosen = value if isinstance(value, float) else None
        self._app.run_worker(
            lambda: self._write_budget(profile, which, chosen),
            thread=True,
            group="config",
            exit_on_error=False,
        )

    def _write_budget(self, profile: str, which: str, value: float | None) -> None:
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
            self._app.call_from_thread(
                self._app.notify,
                f"The budget was not saved: {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
            return
        said = "removed" if value is None else f"set to {usd(value)}"
        self._app.call_from_thread(
            self._written, f"The {which.split('_')[0]} budget is {said} in {display_path(path)}."
        )

    def _written(self, message: str) -> None:
        self._on_written()  # read again: the status bar's budget changed too
        self._app.notify(message, timeout=6, markup=False)

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Set monthly budget…",
            "A USD budget for this calendar month (saved in config.toml)",
            lambda: self.ask_budget("monthly_usd"),
        )
        yield SystemCommand(
            "Set daily budget…",
            "A USD budget for each UTC day (saved in config.toml)",
            lambda: self.ask_budget("daily_usd"),
        )
