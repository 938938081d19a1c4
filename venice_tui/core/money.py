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
from venice_tui.core.amounts import Usd
from venice_tui.core.figures import Rate
from venice_tui.core.format import percent

#: A key at or above this share of a limit is warned about; at 1.0 Venice refuses its calls.
LIMIT_WARNING = 0.8
EXPIRY_WARNING = timedelta(days=7)

Tone = Literal["", "dim", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Runway:
    spendable: Usd
    #: The account's per-full-day rate (`core.figures`): the same one the forecast uses.
    rate: Rate
    #: None when no USD is being spent: the balance lasts as long as that holds.
    days: float | None
    until: date | None

    @property
    def daily_usd(self) -> Usd:
        return self.rate.usd

    @property
    def basis(self) -> str:
        return self.rate.basis


def runway(balance: Balance, rate: Rate | None, today: date) -> Runway | None:
    """How long the spendable USD (balance and credits) lasts at the account's USD rate of the
    last 7 full days (DIEM is granted again each day, so only USD runs out). None without a
    USD balance or a rate."""
    spendable = balance.spendable_usd
    if spendable is None or rate is None:
        return None
    if rate.usd.amount <= 0:
        return Runway(Usd(spendable), rate, None, None)
    days = max(0.0, spendable / rate.usd.amount)
    return Runway(Usd(spendable), rate, days, today + timedelta(days=math.floor(days)))


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
