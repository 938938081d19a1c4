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

    def __init__(self, label: str, short_label: str, *, id: str) -> None:
        super().__init__(id=id)
        self.label, self.short_label = label, short_label
        self.border_title = label

    def on_resize(self) -> None:
        # The border title needs the label plus corners and padding.
        fits = self.outer_size.width >= len(self.label) + 6
        self.border_title = self.label if fits else self.short_label

    def compose(self) -> ComposeResult:
        yield Static("—", classes="kpi-value")
        yield Static("", classes="kpi-note")

    def set(self, value: str, note: str = "") -> None:
        self.query_one(".kpi-value", Static).update(value)
        self.query_one(".kpi-note", Static).update(note)
