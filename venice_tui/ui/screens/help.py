"""`?`: every key and what it does, and what each number means. Made from the same tables as
the bindings and the palette, so it cannot drift from them."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from venice_tui.ui.navigation import COMMANDS, SCREENS

TABLE_KEYS = (
    ("/", "Filter the table; Enter goes back to it, Esc clears"),
    ("h", "Overview: History at the day of the latest spike"),
    ("[  ]  t  H", "History: day before / after, last 24 hours, busiest hour"),
    ("y", "History: sync the ledger now (palette: keep it synced)"),
    ("s  S", "Sort by the next column / reverse it (or click a header)"),
    ("<  >", "Sort by the column to the left / to the right"),
    ("↑ ↓ j k", "Move in the table; PgUp PgDn, Home End (g G) jump"),
    ("ctrl+p", "Command palette: every action, sorting, themes, profiles"),
    ("ctrl+c", "Quit at once, from anywhere"),
)

TILES = (
    (
        "USD spent",
        "USD charged in the period (bundled credits included, earned credits not), against "
        "the period of the same length just before it, like for like (`+18% vs prev 30d`): "
        "while today runs, the period before is cut at the same hour, from the ledger (y "
        "syncs it). Without the ledger for those hours no percentage is made up: the tile "
        "shows what the period before cost in all (`prev 1d $412.30`).",
    ),
    ("DIEM used", "DIEM spent in the period, set against the period before the same way."),
    ("Today so far", "Today's spend (UTC day) until now, USD plus the DIEM beside it."),
    (
        "7-day average",
        "The account's spend per full day: the average of the last 7 full UTC days before "
        "today, whatever the period shown. The forecast and the runway use this rate.",
    ),
    ("Busiest day", "The day of the period with the most USD + DIEM spend."),
    (
        "Forecast",
        "This calendar month's USD: what was spent since the 1st plus the 7-day average for "
        "the days left (today from the hour it was read). The same whatever the period shown.",
    ),
    (
        "Budget bar",
        "This month's USD against the monthly budget (ctrl+p → Set monthly budget…), the "
        "forecast marked │. Near at 80%, over at 100% of it spent (config.toml [alerts]); a "
        "forecast past either line is a warning. The forecast tile, the bar, alerts and "
        "`check` say it in the same words; tiles and rows past a line take the theme's "
        "warning or error colour and a ⚠ or ✗. a lists the alerts.",
    ),
    ("USD left", "The USD balance, with bundled credits beside it."),
    (
        "DIEM today",
        "DIEM left of today's allocation from your stake; it resets at 00:00 UTC and does "
        "not roll over.",
    ),
    (
        "Runway",
        "How long USD and credits last at the 7-day average's USD (DIEM comes back each day).",
    ),
    (
        "Spikes",
        "A day of the last 30 whose spend is 1.6× the median full day of the 30 before today "
        "(and $1 more): judged the same whatever the period; the Overview lists those in it.",
    ),
    (
        "Limit, Used",
        "On API Keys: a key's own spending limit (per day, month or lifetime) and how much of "
        "it is used; warned at 80%, an error at 100% (Venice then answers its calls with 402).",
    ),
    (
        "Share",
        "A row's part of the period's USD + DIEM spend (1 DIEM buys $1 of inference).",
    ),
    (
        "All units",
        "On API Keys: every unit the key used (tokens, images, characters…) added up, as "
        "Venice reports it; Models shows units by type.",
    ),
    (
        "Accounts",
        "On Accounts (0): one row per profile, each from its own key, cache and archive, the "
        "same figures as its own Overview; worst first (a failure, over budget, a key at its "
        "limit, a spike, a warning). Enter shows the selected profile on every screen. The "
        "profiles not on screen are refreshed every 5 minutes, one at a time.",
    ),
    (
        "Amounts",
        "Rounded to the cent; a percentage is taken from the unrounded amounts and rounded "
        "toward zero (99.7% reads 99%). Twin key names end with their id: Staging (...1a3b57).",
    ),
)

NOTES = (
    "Venice caches usage analytics for 10 minutes: refreshing more often shows the same "
    "numbers, and a spike can take up to 10 minutes to appear.",
    "Days are UTC. Per-model and per-key daily lines are USD + DIEM combined unless Venice "
    "sends the USD part too; then c shows them apart.",
    "Data older than two refresh intervals is marked stale in the status line; after "
    "failures the refresh backs off (doubling, at most 10 minutes) and recovers by itself.",
)


def _pairs(rows: tuple[tuple[str, str], ...] | list[tuple[str, str]], key_style: str) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style=key_style, min_width=12)
    table.add_column(ratio=1)
    for key, what in rows:
        table.add_row(Text(key), Text(what))
    return table


def help_renderable() -> Group:
    keys = [(s.key, f"{s.title}: {s.summary}") for s in SCREENS]
    keys += [(c.display, c.summary) for c in COMMANDS]
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column(ratio=1)
    for note in NOTES:
        bullets.add_row("•", Text(note))
    return Group(
        Text("Keys", style="bold"),
        _pairs(keys, "bold"),
        _pairs(list(TABLE_KEYS), "bold"),
        Text(""),
        Text("What the numbers mean", style="bold"),
        _pairs(list(TILES), "bold"),
        Text(""),
        bullets,
        Text(""),
        Text("Esc closes this help.", style="dim"),
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(help_renderable(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
