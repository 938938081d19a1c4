"""`?`: every key and what it does, and what the numbers mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("1 / 2 / 3", "Overview / Models / API Keys"),
    ("r", "refresh now"),
    ("p", "pause or resume live refresh"),
    ("d", "change the period (1d, 7d, 30d, 90d or a date range)"),
    ("c", "charts: USD + DIEM, USD only, DIEM only"),
    ("/", "filter the table (Models, API Keys); Esc clears"),
    ("s / S", "sort the table by the next column / reverse the order"),
    ("↑ ↓ PgUp PgDn", "move in the table; the Models detail follows"),
    ("ctrl+p", "command palette: every action, themes, profiles"),
    ("?", "this help"),
    ("q", "quit"),
)

NOTES = """\
[b]About the numbers[/b]
• Venice caches usage analytics for 10 minutes: refreshing more often shows the same
  numbers, and a spike can take up to 10 minutes to appear.
• Days are UTC. USD includes bundled credits and excludes earned credits.
• DIEM is spent first each day (your stake's daily allocation); the rest is paid in USD.
• Per-model and per-key daily lines are USD + DIEM combined unless Venice sends the
  USD part too; then `c` shows them apart.
• Data older than two refresh intervals is marked [b]stale[/b] in the status line; after
  failures the refresh backs off (doubling, at most 10 minutes) and recovers by itself."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"  [b $accent]{key:<15}[/] {what}" for key, what in KEYS)
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(f"[b]Keys[/b]\n{rows}\n\n{NOTES}\n\n[dim]Esc closes this help.[/dim]")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
