"""The demo account's balance, keys and key limits, in the live endpoints' shapes and
consistent with its usage: the same key ids, limits set against what the usage shows."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from venice_tui.api.clock import iso_utc
from venice_tui.demo.catalog import DemoKey
from venice_tui.demo.generator import DemoAccount

#: The demo account's USD and bundled credits left.
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
            "usd": USD_LEFT,
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
        if limit.of_use is not None:  # a limit placed against the key's own use
            if limit.period == "EPOCH":
                row["consumptionLimits"]["diem"] = round(max(diem, 0.01) * limit.of_use, 2)
            else:
                row["consumptionLimits"]["usd"] = round(max(usd, 0.01) * limit.of_use, 2)
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
