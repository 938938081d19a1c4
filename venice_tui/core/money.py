"""What is left and how long it lasts: runway, the DIEM reset, and each key against its limit.

Pure functions over decoded data and a clock, shared by the Overview, the API Keys screen,
`venice-tui balance` and `report --json`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from venice_tui.api.account import ApiKeyInfo, Balance
from venice_tui.api.models import DailyTotal
from venice_tui.core.format import percent

RATE_WINDOW_DAYS = 7
#: A key at or above this share of a limit is warned about; at 1.0 Venice refuses its calls.
LIMIT_WARNING = 0.8
EXPIRY_WARNING = timedelta(days=7)

Tone = Literal["", "dim", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Runway:
    spendable: float
    #: Average USD spent per complete day over `rate_days` days (at most 7).
    daily_rate: float
    rate_days: int
    #: None when nothing is being spent: the balance lasts as long as that holds.
    days: float | None
    until: date | None


def runway(balance: Balance, daily: list[DailyTotal], today: date) -> Runway | None:
    """How long the spendable USD (balance and credits) lasts at the last 7 complete days' USD
    rate (DIEM is granted again each day, so only USD runs out). None without a USD balance
    or a complete day to take the rate from."""
    spendable = balance.spendable_usd
    complete = sorted((r for r in daily if r.day < today), key=lambda r: r.day)
    recent = complete[-RATE_WINDOW_DAYS:]
    if spendable is None or not recent:
        return None
    rate = sum(r.usd for r in recent) / len(recent)
    if rate <= 0:
        return Runway(spendable, 0.0, len(recent), None, None)
    days = max(0.0, spendable / rate)
    return Runway(spendable, rate, len(recent), days, today + timedelta(days=math.floor(days)))


def next_reset(now: datetime, announced: datetime | None = None) -> datetime:
    """When DIEM resets: at 00:00 UTC (or when Venice says the next epoch begins)."""
    if announced is not None and announced > now:
        return announced
    today = now.astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)


def describe_duration(delta: timedelta) -> str:
    """`8 h 30 min`, `45 min`, `3 days`: a countdown a person reads at a glance."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{max(1, seconds // 60)} min" if seconds else "now"


@dataclass(frozen=True, slots=True)
class KeyHealth:
    tone: Tone
    #: Words for what is wrong, e.g. "at its daily DIEM limit", "expires in 3 days".
    words: tuple[str, ...]


PERIOD_WORDS = {"EPOCH": "daily", "MONTH": "monthly", "LIFETIME": "lifetime"}


def key_health(key: ApiKeyInfo, now: datetime) -> KeyHealth:
    words: list[str] = []
    tone: Tone = ""
    use = key.limit_use
    if use is not None and use >= 1.0:
        tone = "error"
        words.append(f"at its {PERIOD_WORDS.get(key.limit_period, key.limit_period)} limit")
    elif use is not None and use >= LIMIT_WARNING:
        tone = "warning"
        words.append(
            f"{percent(use, 1.0)} of its {PERIOD_WORDS.get(key.limit_period, '')} limit".replace(
                "  ", " "
            )
        )
    if key.expires_at is not None:
        left = key.expires_at - now
        if left <= timedelta(0):
            tone = "error"
            words.append("expired")
        elif left <= EXPIRY_WARNING:
            tone = tone or "warning"
            words.append(f"expires in {describe_duration(left)}")
    return KeyHealth(tone, tuple(words))
