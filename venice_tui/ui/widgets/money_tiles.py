"""The Overview's second row: what is left. USD balance (and credits), DIEM left today out of
the day's allocation with the time to the 00:00 UTC reset, and the runway at the recent rate.

The row watches the app's account slices, usage and clock and redraws itself; an account that
does not stake, has no USD balance, or a key that cannot read billing gets words, not zeros.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from venice_tui.core import format as fmt
from venice_tui.core.account_state import AccountState, Slice
from venice_tui.core.domain import Balance
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.money import describe_duration, next_reset, runway
from venice_tui.ui.host import host
from venice_tui.ui.widgets.kpi import KpiTile

BAR_WIDTH = 12


def bar(share: float, width: int = BAR_WIDTH) -> str:
    """`██████░░░░░░` for a share between 0 and 1."""
    filled = round(max(0.0, min(1.0, share)) * width)
    return GLYPHS.bar_full * filled + GLYPHS.bar_empty * (width - filled)


def unavailable(slice_: Slice[Any]) -> str:
    """Why a slice has no value, in a few words."""
    if slice_.admin_needed:
        return "needs an ADMIN key"
    if slice_.error_at is not None:
        return f"unavailable since {slice_.error_at:%H:%M} UTC"
    return "not loaded yet"


def _as_of(slice_: Slice[Any]) -> str:
    """A marker when the value shown is not fresh: cached, or the last fetch failed."""
    if slice_.error is not None and slice_.fetched_at is not None:
        return f" {GLYPHS.warn} as of {slice_.fetched_at:%H:%M}"
    if slice_.source is not None and slice_.source.value == "cached":
        return " (cached)"
    return ""


class MoneyTiles(Horizontal):
    DEFAULT_CSS = """
    MoneyTiles { height: 4; }
    """

    def compose(self) -> ComposeResult:
        yield KpiTile("USD left", "USD left", id="kpi-balance")
        yield KpiTile("DIEM today", "DIEM", id="kpi-diem-left")
        yield KpiTile("Runway", "Runway", id="kpi-runway")

    def on_mount(self) -> None:
        for name in ("account", "figures", "tick"):
            self.watch(self.app, name, self.redraw, init=False)
        self.redraw()

    def redraw(self) -> None:
        state = host(self)
        account, now = state.account, state.tick.now
        self._balance(account)
        self._diem(account, now)
        self._runway(account, now)

    def _tile(self, tile_id: str) -> KpiTile:
        return self.query_one(f"#{tile_id}", KpiTile)

    def _balance(self, account: AccountState) -> None:
        tile = self._tile("kpi-balance")
        balance = account.balance.value
        limits = account.limits.value
        if balance is None and limits is not None and limits.usd is not None:
            tile.set(fmt.usd(limits.usd), f"this key's own balance{_as_of(account.limits)}")
            return
        if balance is None:
            tile.set(GLYPHS.dash, unavailable(account.balance))
            return
        if balance.usd is None and balance.bundled_credits is None:
            tile.set(GLYPHS.dash, f"no USD balance{_as_of(account.balance)}")
            return
        credits = balance.bundled_credits or 0.0
        note = f"+ {fmt.usd(credits)} credits" if credits else "USD balance"
        tile.set(fmt.usd(balance.usd or 0.0), note + _as_of(account.balance))

    def _diem(self, account: AccountState, now: datetime) -> None:
        tile = self._tile("kpi-diem-left")
        balance, limits = account.balance.value, account.limits.value
        reset = next_reset(now, limits.next_epoch_at if limits else None)
        countdown = f"resets in {describe_duration(reset - now)}"
        if balance is not None and balance.stakes:
            self._diem_of_allocation(tile, balance, countdown, account)
        elif balance is not None:
            tile.set(GLYPHS.dash, "not staking: no daily DIEM")
        elif limits is not None and limits.diem is not None:
            tile.set(f"{fmt.diem(limits.diem)} DIEM", countdown)
        else:
            tile.set(GLYPHS.dash, unavailable(account.balance))

    def _diem_of_allocation(
        self, tile: KpiTile, balance: Balance, countdown: str, account: AccountState
    ) -> None:
        left, allocation = balance.diem or 0.0, balance.diem_allocation or 0.0
        share = left / allocation if allocation else 0.0
        tile.set(
            f"{fmt.diem(left)} of {fmt.diem(allocation)} left",
            f"{bar(share)} {countdown}{_as_of(account.balance)}",
        )

    def _runway(self, account: AccountState, now: datetime) -> None:
        tile = self._tile("kpi-runway")
        balance = account.balance.value
        if balance is None:
            tile.set(GLYPHS.dash, unavailable(account.balance))
            return
        rate = host(self).figures.rate
        estimate = runway(balance, rate, now.date())
        if estimate is None:
            reason = (
                "no USD balance" if balance.spendable_usd is None else unavailable(account.recent)
            )
            tile.set(GLYPHS.dash, reason)
        elif estimate.days is None:
            tile.set("no end in sight", f"no USD spent in the {estimate.basis}")
        else:
            tile.set(
                f"{estimate.days:,.0f} days",
                f"to {estimate.until:%b %d} at {fmt.money(estimate.daily_usd)}/day",
            )
