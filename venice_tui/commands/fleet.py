"""Commands over several profiles (`--all-profiles`, `--profiles a,b`): each account read on its
own, with its own key, cache and archive, a few accounts at a time; one failing (a refused key,
a server down) is that account's line and never blanks or holds up another."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from venice_tui.api.errors import MissingKeyError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.commands.account_json import fetch_account, fetch_figures_usage, figures_from
from venice_tui.commands.check import keep_summary
from venice_tui.commands.report import Account
from venice_tui.core.account_state import AccountState, Slice
from venice_tui.core.amounts import Diem, Usd
from venice_tui.core.budgets import Budgets, Finding, evaluate
from venice_tui.core.credentials import FoundKey
from venice_tui.core.figures import Figures
from venice_tui.core.fleet import FLEET_CONCURRENCY, Glance, glance_of
from venice_tui.core.numbers import whole_percent
from venice_tui.core.snapshot_cache import SnapshotCache

T = TypeVar("T")
R = TypeVar("R")


class FleetAccount(Account, Protocol):
    """An `Account` whose key can be shown masked (a live `Connection` or a demo one)."""

    def find_key(self) -> FoundKey | None: ...


@dataclass(frozen=True)
class Reading:
    """One account as `check` weighs it: this month so far and the 30 full days before today
    (its figures), its balance and keys, its budgets and findings, and its row."""

    profile: str
    budgets: Budgets
    state: AccountState
    figures: Figures | None
    findings: tuple[Finding, ...]
    glance: Glance
    #: The 30 days' failure, when this month came but they did not (the forecast says why).
    recent_error: VeniceError | None = None
    #: Why nothing came (the key refused, the server down): the account's one line.
    error: str | None = None


def each_account(accounts: Sequence[T], work: Callable[[T], R]) -> list[R]:
    """`work` for every account, at most `FLEET_CONCURRENCY` at once, in the given order."""
    if not accounts:
        return []
    with ThreadPoolExecutor(max_workers=min(FLEET_CONCURRENCY, len(accounts))) as pool:
        return list(pool.map(work, accounts))


def masked_key(account: FleetAccount) -> str:
    try:
        found = account.find_key()
    except VeniceError:
        return ""
    return found.key.masked if found is not None else ""


def failure_words(account: FleetAccount, exc: VeniceError) -> str:
    if isinstance(exc, MissingKeyError):
        return f"no API key: run `venice-tui auth login --profile {account.profile}`"
    # Our own advice names the profile: with many, `auth login` alone would log in another.
    return str(exc).replace(
        "`venice-tui auth login`", f"`venice-tui auth login --profile {account.profile}`"
    )


def read_account(
    account: FleetAccount,
    now: datetime,
    also: Callable[[VeniceSyncClient, SnapshotCache | None], T] | None = None,
) -> tuple[Reading, T | None]:
    """The account read as `check` reads it (its status-bar summary kept, as `check` keeps
    it), and `also` (e.g. the period `report` prints) fetched beside it; never raises for
    Venice's or the network's trouble: that is the reading's `error`."""
    today = now.date()
    budgets, _ = account.budgets()
    key = masked_key(account)
    try:
        files = account.files_if_known()
        cache = SnapshotCache(files) if files is not None and files.on_disk else None
        with account.sync_client() as client:

            def both() -> tuple[tuple[UsageAnalytics, UsageAnalytics | VeniceError], T | None]:
                figures_usage = fetch_figures_usage(client, today)
                return figures_usage, also(client, cache) if also is not None else None

            state, fetched = fetch_account(client, cache, both)
        files = files or account.place_from(state.keys.value)
    except VeniceError as exc:
        words = failure_words(account, exc)
        empty = figures_from(today, None, None, now)
        glance = glance_of(account.profile, key, AccountState(), empty, budgets, (), words)
        return Reading(
            account.profile, budgets, AccountState(), None, (), glance, error=words
        ), None
    assert fetched is not None
    (month, recent), extra = fetched
    recent_days = recent if isinstance(recent, UsageAnalytics) else None
    state = replace(state, month=Slice(month, now), recent=Slice(recent_days, now))
    figures = figures_from(today, month, recent, now)
    findings = evaluate(budgets, month, state.keys.value or (), today)
    if files is not None:
        with contextlib.suppress(OSError):
            keep_summary(files.digest, month, state, budgets, figures, findings)
    glance = glance_of(account.profile, key, state, figures, budgets, findings)
    recent_error = recent if isinstance(recent, VeniceError) else None
    reading = Reading(
        account.profile, budgets, state, figures, tuple(findings), glance, recent_error
    )
    return reading, extra


def glance_json(glance: Glance, now: datetime) -> dict[str, Any]:
    """An account's row for scripts: raw numbers (null: not known), USD and DIEM apart."""

    def amount(value: Usd | Diem | None) -> float | None:
        return None if value is None else value.amount

    lasts = glance.runway
    return {
        "key": glance.key,
        "status": glance.severity.label,
        "alert": glance.alert or None,
        "todayUsd": amount(glance.today_usd),
        "todayDiem": amount(glance.today_diem),
        "monthUsd": amount(glance.month_usd),
        "monthDiem": amount(glance.month_diem),
        "budgetUsd": glance.budget_usd,
        "budgetUsedPercent": _whole(glance.budget_share),
        "forecastUsd": amount(glance.forecast.usd) if glance.forecast is not None else None,
        "forecastPercent": _whole(glance.forecast_share),
        "standing": glance.standing.words or None,
        "balanceUsd": glance.balance_usd,
        "diemLeft": glance.diem_left,
        "runwayDays": lasts.days if lasts is not None else None,
        "dataAgeSeconds": glance.age_seconds(now),
        "error": glance.failure,
    }


def _whole(share: float | None) -> int | None:
    return None if share is None else whole_percent(share, 1.0)
