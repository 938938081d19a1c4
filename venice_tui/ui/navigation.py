"""The one table of screens and app-wide commands.

The nav bar, the key bindings, the key bar, the help and the command palette are all made
from these tables: adding a screen is one `ScreenEntry`, adding a command one `Command`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class ScreenEntry:
    mode: str
    key: str
    title: str
    #: One line for the palette and the help.
    summary: str
    #: Builds the screen; screens other than the first are imported on their first visit.
    build: Callable[[], Screen[None]]
    #: The screen's module, imported ahead of the first visit (after the first data).
    module: str = ""

    def prepare(self) -> None:
        if self.module:
            importlib.import_module(self.module)


@dataclass(frozen=True, slots=True)
class Command:
    #: Textual's key name (`question_mark`), and what a person reads (`?`).
    key: str
    display: str
    action: str
    title: str
    summary: str
    #: Shown in the key bar at the bottom (the rest are in the help and the palette).
    in_key_bar: bool = True
    #: Whether the palette lists it (quit is one key away and needs no entry).
    in_palette: bool = True
    #: The palette's title, when the key bar's short one would not say enough.
    palette_title: str = ""
    #: When the key bar is too narrow, the lowest ranks leave it first (screen keys rank 6).
    bar_rank: int = 5


def _accounts() -> Screen[None]:
    from venice_tui.ui.screens.accounts import AccountsScreen

    return AccountsScreen()


def _overview() -> Screen[None]:
    from venice_tui.ui.screens.overview import OverviewScreen

    return OverviewScreen()


def _models() -> Screen[None]:
    from venice_tui.ui.screens.models import ModelsScreen

    return ModelsScreen()


def _keys() -> Screen[None]:
    from venice_tui.ui.screens.keys import KeysScreen

    return KeysScreen()


def _history() -> Screen[None]:
    from venice_tui.ui.screens.history import HistoryScreen

    return HistoryScreen()


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "overview",
        "1",
        "Overview",
        "Totals, the forecast, daily charts, spikes, top rows",
        _overview,
    ),
    ScreenEntry(
        "models",
        "2",
        "Models",
        "Every model with its breakdown by token type",
        _models,
        "venice_tui.ui.screens.models",
    ),
    ScreenEntry(
        "keys",
        "3",
        "API Keys",
        "Every key: usage, limits, last use, expiry",
        _keys,
        "venice_tui.ui.screens.keys",
    ),
    ScreenEntry(
        "history",
        "4",
        "History",
        "The per-request ledger, by the hour, reconciled",
        _history,
        "venice_tui.ui.screens.history",
    ),
    ScreenEntry(
        "accounts",
        "0",
        "Accounts",
        "Every profile at a glance, worst first; Enter shows one",
        _accounts,
        "venice_tui.ui.screens.accounts",
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "r",
        "r",
        "refresh_now",
        "Refresh",
        "Fetch the numbers again now",
        palette_title="Refresh now",
    ),
    Command("p", "p", "toggle_pause", "Pause", "Pause or resume live refresh", bar_rank=1),
    Command(
        "d",
        "d",
        "pick_period",
        "Period",
        "Pick 1d to 12 months, this year, or a UTC date range",
        palette_title="Change period",
    ),
    Command(
        "c",
        "c",
        "cycle_currency",
        "USD/DIEM",
        "Charts: USD + DIEM, USD only, DIEM only",
        palette_title="Charts: next currency",
        bar_rank=2,
    ),
    Command(
        "e",
        "e",
        "export",
        "Export",
        "Save this view as CSV, JSON or an SVG picture",
        palette_title="Export this view…",
        bar_rank=3,
    ),
    Command(
        "a",
        "a",
        "alert_log",
        "Alerts",
        "Every alert so far, and what stands against a budget now",
        palette_title="Alert log",
        bar_rank=4,
    ),
    Command(
        "question_mark", "?", "help", "Help", "Every key, and what each number means", bar_rank=9
    ),
    Command("q", "q", "quit", "Quit", "Leave venice-tui", in_palette=False, bar_rank=9),
)

#: Actions that make sense only on a dashboard screen (not under a dialog or the login).
DASHBOARD_ACTIONS = frozenset({"show", *(c.action for c in COMMANDS if c.action != "quit")})
#: Actions bound to keys that also type text: held back while a text field has the focus.
TYPING_ACTIONS = frozenset({"show", *(c.action for c in COMMANDS)})


def app_bindings() -> list[BindingType]:
    """Priority bindings: resolved when the key arrives, in order, so a key typed while a
    screen opens acts on what will be there (`2` then `q` quits; `3` `/` `web` filters)."""
    screens = [
        Binding(s.key, f"show('{s.mode}')", s.title, show=False, priority=True) for s in SCREENS
    ]
    commands = [
        Binding(c.key, c.action, c.title, key_display=c.display, show=False, priority=True)
        for c in COMMANDS
    ]
    return [*screens, *commands, Binding("ctrl+c", "quit_now", "Quit", show=False, priority=True)]


def screen_entry(mode: str) -> ScreenEntry | None:
    return next((s for s in SCREENS if s.mode == mode), None)
