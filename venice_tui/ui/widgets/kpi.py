"""A KPI tile: a label, a big value and a line of context."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class KpiTile(Vertical):
    DEFAULT_CSS = """
    KpiTile { height: 5; border: round $primary-darken-1; padding: 0 1; width: 1fr; min-width: 16; }
    KpiTile > .kpi-value { text-style: bold; color: $text; }
    KpiTile > .kpi-note { color: $text-muted; }
    """

    def __init__(self, label: str, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = label

    def compose(self) -> ComposeResult:
        yield Static("—", classes="kpi-value")
        yield Static("", classes="kpi-note")

    def set(self, value: str, note: str = "") -> None:
        self.query_one(".kpi-value", Static).update(value)
        self.query_one(".kpi-note", Static).update(note)
