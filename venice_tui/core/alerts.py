"""Alerts: what crossed a line (a budget, a Venice key limit, a spike, the day's DIEM gone),
remembered on disk so that each fires once per threshold and period, even across restarts.

Delivery is the dashboard's (a notification, the bell, the terminal's own desktop notification,
an optional command); what to deliver, and the escape sequence for the desktop, are here.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from venice_tui.api.account import Balance
from venice_tui.api.text import one_line
from venice_tui.core.budgets import Finding
from venice_tui.core.figures import Spike
from venice_tui.core.format import money
from venice_tui.core.paths import read_small_file, state_dir, write_private_file

Level = Literal["warning", "over", "info"]
LOG_SIZE = 200
#: Spikes older than this are history, not news: opening the dashboard does not alert them.
SPIKE_NEWS = timedelta(days=1)
FORGET_AFTER = timedelta(days=100)


@dataclass(frozen=True, slots=True)
class Alert:
    #: Once per ident: `budget:account:month:2026-11@500:over`, `spike:2026-11-22`, `diem:2026-11-25`.
    ident: str
    level: Level
    message: str


@dataclass(frozen=True, slots=True)
class LoggedAlert:
    at: datetime
    level: Level
    message: str


@dataclass(frozen=True, slots=True)
class AlertSettings:
    bell: bool = True
    desktop: bool = True
    #: Run without a shell, the message appended as the last argument.
    notify_command: tuple[str, ...] = ()


def parse_alert_settings(data: Mapping[str, Any], where: str) -> tuple[AlertSettings, list[str]]:
    table = data.get("alerts", {})
    if not isinstance(table, Mapping):
        return AlertSettings(), [f"{where}: alerts must be a table"]
    problems = []
    flags = {}
    for name in ("bell", "desktop"):
        value = table.get(name, True)
        if not isinstance(value, bool):
            problems.append(f"{where}: alerts.{name} = {value!r} must be true or false")
            value = True
        flags[name] = value
    command = table.get("notify_command", [])
    if isinstance(command, str):
        command = [command]
    if not isinstance(command, list) or not all(isinstance(c, str) and c for c in command):
        problems.append(
            f'{where}: alerts.notify_command must be a list of strings, e.g. ["notify-send", "Venice"]'
        )
        command = []
    return AlertSettings(flags["bell"], flags["desktop"], tuple(command)), problems


def alerts_from(
    findings: Iterable[Finding],
    spikes: Iterable[Spike] = (),
    balance: Balance | None = None,
    today: date | None = None,
) -> list[Alert]:
    """What is worth an alert now; `AlertBook.new` keeps the ones not yet fired."""
    # The budget is part of the ident: a budget set anew is a new line to cross.
    out = [
        Alert(
            f"budget:{f.ident}@{f.budget:g}:{f.level}",
            "over" if f.level == "over" else "warning",
            f.message,
        )
        for f in findings
    ]
    if today is not None:
        for spike in spikes:
            if today - spike.day <= SPIKE_NEWS:
                driver = f", mostly {spike.driver}" if spike.driver else ""
                out.append(
                    Alert(
                        f"spike:{spike.day.isoformat()}",
                        "warning",
                        f"Spike on {spike.day:%a %b %d}: {money(spike.spend)}, "
                        f"{spike.ratio:.1f}x a usual day{driver}",
                    )
                )
        if balance is not None and balance.stakes and (balance.diem or 0.0) <= 0:
            out.append(
                Alert(
                    f"diem:{today.isoformat()}",
                    "info",
                    "Today's DIEM allowance is used up: requests are paid in credits or USD "
                    "until 00:00 UTC",
                )
            )
    return out


@dataclass
class AlertBook:
    """Alerts fired so far (for once-only) and a log of them, in the user state folder."""

    path: Path
    fired: dict[str, str] = field(default_factory=dict)
    log: list[LoggedAlert] = field(default_factory=list)

    @classmethod
    def for_account(cls, digest: str) -> AlertBook:
        """The alert log of the account whose files are named `digest` (`core.identity`)."""
        return cls.load(state_dir() / f"alerts-{digest}.json")

    @classmethod
    def load(cls, path: Path) -> AlertBook:
        try:
            data = json.loads(read_small_file(path, 1024 * 1024))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict):
            return cls(path)
        fired = data.get("fired", {})
        log = []
        for entry in data.get("log", []):
            try:
                log.append(
                    LoggedAlert(
                        datetime.fromisoformat(entry["at"]), entry["level"], str(entry["message"])
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return cls(
            path, {str(k): str(v) for k, v in fired.items()} if isinstance(fired, dict) else {}, log
        )

    def new(self, alerts: Iterable[Alert], now: datetime) -> list[Alert]:
        """The alerts not fired before, now marked fired and logged (and saved)."""
        fresh = [a for a in alerts if a.ident not in self.fired]
        if not fresh:
            return []
        for alert in fresh:
            self.fired[alert.ident] = now.isoformat()
            self.log.append(LoggedAlert(now, alert.level, alert.message))
        self._forget_old(now)
        self.save()
        return fresh

    def _forget_old(self, now: datetime) -> None:
        cutoff = (now - FORGET_AFTER).isoformat()
        self.fired = {k: v for k, v in self.fired.items() if v >= cutoff}
        self.log = self.log[-LOG_SIZE:]

    def save(self) -> None:
        data = {
            "fired": self.fired,
            "log": [
                {"at": e.at.isoformat(), "level": e.level, "message": e.message} for e in self.log
            ],
        }
        # Remembering is a courtesy: a full disk means an alert may come twice.
        with contextlib.suppress(OSError):
            write_private_file(self.path, json.dumps(data).encode())


def desktop_sequence(message: str, in_tmux: bool) -> str:
    """The terminal's own desktop notification: OSC 9 (iTerm2, WezTerm, kitty…) and OSC 777
    (rxvt, foot, Ghostty…), passed through tmux when inside it. The message is made one plain
    line: nothing in it can end the sequence early or start another."""
    text = one_line(message, 200).replace(";", ",")
    text = "".join(ch for ch in text if ch.isprintable())
    sequences = [f"\x1b]9;{text}\x07", f"\x1b]777;notify;venice-tui;{text}\x07"]
    if in_tmux:
        sequences = ["\x1bPtmux;" + s.replace("\x1b", "\x1b\x1b") + "\x1b\\" for s in sequences]
    return "".join(sequences)


#: The environment variable that carries the message too, for notifiers that read it there.
ALERT_VARIABLE = "VENICE_TUI_ALERT"


def notify_argument(message: str) -> str:
    """The message as the notifier's last argument: one line, made visible, and never starting
    with `-` or `+`, so that no option parser (getopt, GOption, argparse, click) can read it as
    an option, whatever a key or model is named. Such a message starts `venice-tui: ` instead.
    (A `--` before it would do for most parsers, but a script reading `$1` would show `--`.)"""
    text = one_line(message, 300)
    return f"venice-tui: {text}" if text.startswith(("-", "+")) else text


def run_notify_command(command: tuple[str, ...], message: str) -> None:
    """The person's own notifier, without a shell, the message last (`notify_argument`) and in
    `VENICE_TUI_ALERT`; its output and failures are its own."""
    text = notify_argument(message)
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [*command, text],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, ALERT_VARIABLE: text},
            start_new_session=True,
        )
