"""What the dashboard remembers between runs: the theme and the period. Small, never the key.

A JSON file in the user state folder; a missing or unreadable file means defaults, and a
write that fails is forgotten (it is a convenience, never worth an error).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from venice_tui.api.period import Period, PeriodError
from venice_tui.core.paths import read_small_file, state_dir, write_private_file

STATE_NAME = "dashboard.json"
MAX_STATE_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class UiState:
    theme: str | None = None
    period: Period | None = None


def state_path() -> Path:
    return state_dir() / STATE_NAME


def load(path: Path | None = None) -> UiState:
    try:
        data = json.loads(read_small_file(path or state_path(), MAX_STATE_BYTES))
    except (OSError, ValueError):
        return UiState()
    if not isinstance(data, dict):
        return UiState()
    theme = data.get("theme")
    return UiState(
        theme=theme if isinstance(theme, str) else None, period=_period(data.get("period"))
    )


def _period(value: object) -> Period | None:
    """Only lookbacks are remembered: a fixed range from last week is rarely what comes next."""
    if not isinstance(value, str):
        return None
    try:
        return Period.parse_lookback(value)
    except PeriodError:
        return None


def remember(
    *, theme: str | None = None, period: Period | None = None, path: Path | None = None
) -> None:
    current = load(path)
    if period is None or not period.is_lookback:
        period = current.period
    data = {"theme": theme or current.theme, "period": period.label if period else None}
    with contextlib.suppress(OSError):
        write_private_file(path or state_path(), json.dumps(data).encode())
