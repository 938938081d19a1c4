"""The account's slices for one-shot commands: fetched side by side (threads: no asyncio), kept
on disk like the dashboard's, and written as JSON with the API's field names."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any, TypeVar

from venice_tui.api.account import ApiKeyInfo, Balance, RateLimits
from venice_tui.api.clock import iso_utc
from venice_tui.api.errors import AuthError, PaymentRequiredError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import utc_now
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.core.account_state import (
    ADMIN_NEEDED,
    AccountState,
    Slice,
    month_to_date,
    recent_period,
)
from venice_tui.core.figures import Figures, basis_of, derive
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.money import Runway
from venice_tui.core.snapshot_cache import ACCOUNT_SLICES, SnapshotCache

T = TypeVar("T")


def _pull(
    client: VeniceSyncClient, slug: str, cache: SnapshotCache | None, now: datetime
) -> Slice[Any]:
    call, decode = ACCOUNT_SLICES[slug]
    try:
        reply = client.get(call)
        value = decode(reply.body)
    except (AuthError, PaymentRequiredError):
        return Slice(error=ADMIN_NEEDED, error_at=now, admin_needed=True)
    except VeniceError as exc:
        return Slice(error=str(exc), error_at=now)
    if cache is not None:
        kept_at = cache.kept_at(slug, reply.body)  # the same bytes kept lately: not written again
        if kept_at is None or now - kept_at >= REWRITE_AFTER:
            with contextlib.suppress(OSError):  # a full disk costs the copy on disk, not the answer
                cache.save_body(slug, reply.body, now)
    return Slice(value, now)


def fetch_account(
    client: VeniceSyncClient,
    cache: SnapshotCache | None,
    also: Callable[[], T] | None = None,
    slugs: tuple[str, ...] = tuple(ACCOUNT_SLICES),
) -> tuple[AccountState, T | None]:
    """Balance, key list and key limits (those of `slugs`; the others stay empty), and `also`
    (the usage), all at once."""
    now = utc_now()
    with ThreadPoolExecutor(max_workers=len(slugs) + 1) as pool:
        futures = {slug: pool.submit(_pull, client, slug, cache, now) for slug in slugs}
        extra = pool.submit(also) if also is not None else None
        pulled = {slug: future.result() for slug, future in futures.items()}
        state = AccountState(
            balance=pulled.get("balance", Slice()),
            keys=pulled.get("api-keys", Slice()),
            limits=pulled.get("rate-limits", Slice()),
        )
        return state, extra.result() if extra is not None else None


def fetch_figures_usage(
    client: VeniceSyncClient, today: date
) -> tuple[UsageAnalytics, UsageAnalytics | VeniceError]:
    """This month so far (its failure is raised) and the 30 full days before today (its
    failure is returned): what the account's figures are taken from."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        recent = pool.submit(client.fetch, recent_period(today))
        so_far = client.fetch(month_to_date(today))
        try:
            return so_far, recent.result()
        except VeniceError as exc:
            return so_far, exc


def figures_from(
    today: date,
    month: UsageAnalytics | None,
    recent: UsageAnalytics | VeniceError | None,
    as_of: datetime,
) -> Figures:
    recent_days = recent if isinstance(recent, UsageAnalytics) else None
    return derive(basis_of(today, month, recent_days, as_of))


def balance_json(balance: Balance | None) -> dict[str, Any] | None:
    if balance is None:
        return None
    return {
        "canConsume": balance.can_consume,
        "consumptionCurrency": balance.consumption_currency,
        "usd": balance.usd,
        "diem": balance.diem,
        "bundledCredits": balance.bundled_credits,
        "earnedCredits": balance.earned_credits,
        "diemEpochAllocation": balance.diem_allocation,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso_utc(moment)


def api_keys_json(keys: tuple[ApiKeyInfo, ...] | None) -> list[dict[str, Any]] | None:
    if keys is None:
        return None
    return [
        {
            "id": k.key_id,
            "description": k.description,
            "apiKeyType": k.key_type,
            "last6Chars": k.last6,
            "createdAt": _iso(k.created_at),
            "lastUsedAt": _iso(k.last_used_at),
            "expiresAt": _iso(k.expires_at),
            "consumptionLimits": {"usd": k.limit_usd, "diem": k.limit_diem},
            "limitPeriod": k.limit_period,
            "currentPeriodUsage": {"usd": k.used_usd, "diem": k.used_diem} if k.has_limit else None,
            "limitUsed": k.limit_use,
        }
        for k in keys
    ]


def key_limits_json(limits: RateLimits | None) -> dict[str, Any] | None:
    if limits is None:
        return None
    return {
        "accessPermitted": limits.access_permitted,
        "apiTier": limits.tier,
        "usd": limits.usd,
        "diem": limits.diem,
        "keyExpiration": _iso(limits.key_expires_at),
        "nextEpochBegins": _iso(limits.next_epoch_at),
    }


def runway_json(estimate: Runway | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "spendableUsd": estimate.spendable.amount,
        "dailyUsd": estimate.daily_usd.amount,
        "rateDays": estimate.rate.days,
        "rateBasis": estimate.basis,
        "days": estimate.days,
        "until": estimate.until.isoformat() if estimate.until else None,
    }


def unavailable_json(state: AccountState) -> dict[str, str]:
    """Why a slice is null, for scripts: `needs an ADMIN key` or the error."""
    out = {}
    for name, slice_ in (
        ("balance", state.balance),
        ("apiKeys", state.keys),
        ("key", state.limits),
    ):
        if slice_.value is None and slice_.error:
            out[name] = slice_.error
    return out
