"""`a`: every alert so far (newest first) and what stands against a budget right now."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from venice_tui.core.alerts import LoggedAlert
from venice_tui.core.budgets import Finding
from venice_tui.core.glyphs import GLYPHS

MARKS = {"over": GLYPHS.cross, "warning": GLYPHS.warn, "info": GLYPHS.dot}


def _table(rows: list[tuple[str, str, str]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column(ratio=1)
    for mark, when, text in rows:
        table.add_row(mark, when, Text(text))
    return table


class AlertLogScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,a,q", "close", "Close")]

    def __init__(self, log: list[LoggedAlert], findings: list[Finding]) -> None:
        super().__init__()
        self.entries, self.findings = log, findings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="alert-dialog", classes="dialog"):
            yield Static(Text("Right now", style="bold"))
            if self.findings:
                yield Static(_table([(MARKS[f.level], "", f.message) for f in self.findings]))
            else:
                yield Static(
                    Text("Every budget and key limit is below its warning line.", style="dim")
                )
            yield Static(Text("\nAlerts so far", style="bold"))
            if self.entries:
                rows = [
                    (MARKS[e.level], f"{e.at:%b %d %H:%M}", e.message)
                    for e in reversed(self.entries)
                ]
                yield Static(_table(rows))
            else:
                yield Static(
                    Text("None yet. Each crossing alerts once, also across restarts.", style="dim")
                )
            yield Static(Text("\nEsc closes.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
