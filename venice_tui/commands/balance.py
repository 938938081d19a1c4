"""`venice-tui balance [--json]`: what is left, one screen of plain text (or JSON for scripts):
balances and credits, today's DIEM with its reset, and the runway at the last 7 days' rate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from venice_tui.api.clock import iso_utc
from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.account_json import (
    balance_json,
    fetch_account,
    figures_from,
    key_limits_json,
    runway_json,
    unavailable_json,
)
from venice_tui.commands.report import Account, say, write
from venice_tui.core import format as fmt
from venice_tui.core.account_state import AccountState, recent_period
from venice_tui.core.money import Runway, describe_duration, next_reset, runway
from venice_tui.core.report import dumps_json
from venice_tui.core.snapshot_cache import SnapshotCache


def run_balance(account: Account, as_json: bool) -> int:
    now = utc_now()

    def usage() -> UsageAnalytics | VeniceError:
        try:  # the 30 full days before today: the account's rate, as the dashboard takes it
            return client.fetch(recent_period(now.date()))
        except VeniceError as exc:
            return exc

    try:
        files = account.files_if_known()
        cache = SnapshotCache(files) if files is not None and files.on_disk else None
        with account.sync_client() as client:
            state, analytics = fetch_account(client, cache, usage)
        account.place_from(state.keys.value)
    except VeniceError as exc:
        say(str(exc))
        return exits.FAILURE
    estimate = _runway(state, analytics, now)
    if state.balance.value is None and state.limits.value is None:
        say(f"no balance: {state.balance.error or state.limits.error or 'Venice sent none'}")
        return exits.FAILURE
    if as_json:
        write(dumps_json(_as_json(state, estimate, now)))
    else:
        write("\n".join(_lines(state, estimate, now, analytics)) + "\n")
    return exits.OK


def _runway(
    state: AccountState, analytics: UsageAnalytics | VeniceError | None, now: datetime
) -> Runway | None:
    if state.balance.value is None or not isinstance(analytics, UsageAnalytics):
        return None
    figures = figures_from(now.date(), None, analytics, now)
    return runway(state.balance.value, figures.rate, now.date())


def _reset(state: AccountState, now: datetime) -> datetime:
    limits = state.limits.value
    return next_reset(now, limits.next_epoch_at if limits else None)


def _as_json(state: AccountState, estimate: Runway | None, now: datetime) -> dict[str, Any]:
    return {
        "balance": balance_json(state.balance.value),
        "diemResetsAt": iso_utc(_reset(state, now)),
        "runway": runway_json(estimate),
        "key": key_limits_json(state.limits.value),
        "unavailable": unavailable_json(state),
    }


def _lines(
    state: AccountState,
    estimate: Runway | None,
    now: datetime,
    analytics: UsageAnalytics | VeniceError | None,
) -> list[str]:
    reset = _reset(state, now)
    lines = [f"Venice balance · {now:%Y-%m-%d %H:%M} UTC", ""]
    balance, limits = state.balance.value, state.limits.value
    if balance is None:
        assert limits is not None
        lines.append(f"Billing     {state.balance.error}; showing this key's own balance")
        lines.append(f"USD         {fmt.usd(limits.usd or 0.0)}")
        lines.append(
            f"DIEM        {fmt.diem(limits.diem or 0.0)}, resets in {describe_duration(reset - now)}"
        )
        return lines
    usd = fmt.usd(balance.usd) if balance.usd is not None else "none"
    extra = [
        f"{fmt.usd(amount)} {what}"
        for amount, what in (
            (balance.bundled_credits, "bundled credits"),
            (balance.earned_credits, "earned credits"),
        )
        if amount
    ]
    lines.append(f"USD         {usd}" + (f"  (+ {', '.join(extra)})" if extra else ""))
    if balance.stakes:
        left, allocation = balance.diem or 0.0, balance.diem_allocation or 0.0
        lines.append(
            f"DIEM today  {fmt.diem(left)} of {fmt.diem(allocation)} left "
            f"({fmt.percent(left, allocation)}); resets 00:00 UTC, in {describe_duration(reset - now)}"
        )
    else:
        lines.append("DIEM today  not staking: no daily DIEM allowance")
    lines.append(f"Spends now  {balance.consumption_currency or 'nothing (no balance)'}")
    lines.append(f"Runway      {_runway_words(estimate, balance.spendable_usd, analytics)}")
    if not balance.can_consume:
        lines.append("Warning     Venice says this account cannot make requests now")
    return lines


def _runway_words(
    estimate: Runway | None, spendable: float | None, analytics: UsageAnalytics | VeniceError | None
) -> str:
    if isinstance(analytics, VeniceError):
        return f"unknown: the usage could not be read ({analytics})"
    if spendable is None:
        return "no USD balance to run out"
    if estimate is None:
        return "unknown: needs the last 7 full days of usage"
    if estimate.days is None:
        return f"no USD spent in the {estimate.basis}"
    until = f"{estimate.until:%Y-%m-%d}" if estimate.until else "?"
    return (
        f"{estimate.days:,.0f} days at {fmt.money(estimate.daily_usd)}/day "
        f"({estimate.basis}), to {until}"
    )
