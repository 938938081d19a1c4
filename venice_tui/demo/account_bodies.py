"""The demo account's balance, keys and key limits, in the live endpoints' shapes and
consistent with its usage: the same key ids, limits set against what the usage shows."""

from __future__ import annotations

import calendar
import hashlib
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from venice_tui.api.clock import iso_utc
from venice_tui.demo.catalog import DemoKey
from venice_tui.demo.generator import DemoAccount

#: The demo account's USD (`DemoAccount.usd_balance`) and bundled credits left.
USD_LEFT = 412.5
BUNDLED_CREDITS = 25.0
LIFETIME_DAYS = 90


def _money(value: float) -> str:
    """Venice sends key usage as 4-decimal strings."""
    return f"{value:.4f}"


def _next_epoch(now: datetime) -> datetime:
    today = now.astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)


def balance_body(account: DemoAccount, now: datetime) -> dict[str, Any]:
    allocation = account.diem_per_day
    diem_left = max(0.0, allocation - account.diem_spent_today(now))
    return {
        "canConsume": True,
        "consumptionCurrency": "DIEM" if diem_left > 0 else "BUNDLED_CREDITS",
        "balances": {
            "diem": round(diem_left, 4),
            "usd": account.usd_balance,
            "bundledCredits": BUNDLED_CREDITS,  # a live field the published schema forbids
        },
        "diemEpochAllocation": allocation,
    }


def _period_days(period: str, today: date) -> tuple[date, date]:
    if period == "EPOCH":
        return today, today
    if period == "MONTH":
        return today.replace(day=1), today
    return today - timedelta(days=LIFETIME_DAYS - 1), today


def _period_end(period: str, today: date) -> date:
    """The last day of a limit's current period (a lifetime's is today)."""
    if period == "MONTH":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return today


def _cents(value: float) -> float:
    """A limit in whole cents (rounded down: the last request that reaches it is refused)."""
    return math.floor(round(value * 100, 6)) / 100


def _key_row(account: DemoAccount, index: int, key: DemoKey, now: datetime) -> dict[str, Any]:
    assert key.key_id is not None
    today = now.astimezone(UTC).date()
    seed = int(hashlib.sha256(key.key_id.encode()).hexdigest()[:8], 16)
    used = key.weight > 0 or key.key_type == "ADMIN"  # the admin key reads billing
    row: dict[str, Any] = {
        "id": key.key_id,
        "description": key.description,
        "apiKeyType": key.key_type,
        "last6Chars": key.key_id[-6:],
        "createdAt": iso_utc(now - timedelta(days=120 + seed % 200)),
        "lastUsedAt": iso_utc(now - timedelta(minutes=3 + seed % 600)) if used else None,
        "expiresAt": iso_utc(now + timedelta(days=key.expires_in_days))
        if key.expires_in_days is not None
        else None,
        "consumptionLimits": {"usd": None, "diem": None},
        "limitPeriod": key.limit.period if key.limit else "EPOCH",
        "modelPrivacy": "ALL",
    }
    if key.limit is not None:
        first, last = _period_days(key.limit.period, today)
        usd, diem = account.key_usage(index, first, last, now)
        limit = key.limit
        if limit.of_use is not None:
            # Against the key's use over its whole period (the day, the calendar month), never
            # the part of it so far: at 00:05 on the 1st a monthly limit is still month-sized.
            end = _period_end(limit.period, today)
            whole_usd, whole_diem = account.key_usage_whole(index, first, end, now)
            if limit.period == "EPOCH":
                cap = _cents(max(whole_diem, 0.01) * limit.of_use)
                row["consumptionLimits"]["diem"] = cap
                diem = min(diem, cap)  # Venice refuses the key's calls at its limit
            else:
                cap = _cents(max(whole_usd, 0.01) * limit.of_use)
                row["consumptionLimits"]["usd"] = cap
                usd = min(usd, cap)
        else:
            row["consumptionLimits"] = {"usd": limit.usd, "diem": limit.diem}
        row["currentPeriodUsage"] = {"usd": _money(usd), "diem": _money(diem)}
    return row


def api_keys_body(account: DemoAccount, now: datetime) -> dict[str, Any]:
    rows = [
        _key_row(account, index, key, now)
        for index, key in enumerate(account.keys)
        if key.key_id is not None and key.listed
    ]
    return {"data": rows, "object": "list"}


def rate_limits_body(account: DemoAccount, now: datetime, admin: bool) -> dict[str, Any]:
    balance = balance_body(account, now)["balances"]
    models = [m.name.lower().replace(" ", "-").replace(".", "-") for m in account.models[:4]]
    return {
        "data": {
            "accessPermitted": True,
            "apiTier": {"id": "paid", "isCharged": True},
            "balances": {"USD": balance["usd"], "DIEM": balance["diem"]},
            "keyExpiration": None if admin else iso_utc(now + timedelta(days=30)),
            "nextEpochBegins": iso_utc(_next_epoch(now)),
            "rateLimits": [
                {
                    "apiModelId": model,
                    "rateLimits": [
                        {"amount": 500, "type": "RPM"},
                        {"amount": 1_000_000, "type": "TPM"},
                    ],
                }
                for model in models
            ],
        }
    }
