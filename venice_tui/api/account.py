"""What an account has left: `/billing/balance`, `/api_keys` and `/api_keys/rate_limits`, decoded
as tolerantly as the usage (numbers as strings, nulls, extra live fields such as
`bundledCredits`, unknown fields ignored) into typed, immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from venice_tui.api.values import (
    BadValue,
    ResponseShapeError,
    decode_wire,
    moment,
    optional_number,
    safe_name,
)

#: Limit periods Venice knows: a UTC day (an "epoch"), a UTC calendar month, or never reset.
LIMIT_PERIODS = ("EPOCH", "MONTH", "LIFETIME")


@dataclass(frozen=True, slots=True)
class Balance:
    can_consume: bool
    #: The currency the next request is paid in (DIEM, EARNED_CREDITS, BUNDLED_CREDITS, USD).
    consumption_currency: str | None
    usd: float | None
    #: DIEM left in today's epoch; None when the account does not stake.
    diem: float | None
    bundled_credits: float | None
    earned_credits: float | None
    #: DIEM granted per UTC day by the stake; None or 0 when not staking.
    diem_allocation: float | None

    @property
    def stakes(self) -> bool:
        return self.diem is not None and bool(self.diem_allocation)

    @property
    def spendable_usd(self) -> float | None:
        """What is left to spend after today's DIEM: USD plus credits (None: no USD at all)."""
        parts = [self.usd, self.bundled_credits, self.earned_credits]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    key_id: str
    description: str
    #: ADMIN or INFERENCE (shown as sent when it is something new).
    key_type: str
    last6: str
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime | None
    limit_usd: float | None
    limit_diem: float | None
    #: EPOCH (UTC day), MONTH or LIFETIME.
    limit_period: str
    #: Use within the current limit period; Venice sends it only for keys with a limit.
    used_usd: float | None
    used_diem: float | None

    @property
    def has_limit(self) -> bool:
        return self.limit_usd is not None or self.limit_diem is not None

    @property
    def limit_use(self) -> float | None:
        """The larger share of a limit used (1.0 = at the limit), None without a limit."""
        shares = [
            (used or 0.0) / limit
            for used, limit in ((self.used_usd, self.limit_usd), (self.used_diem, self.limit_diem))
            if limit is not None and limit > 0
        ]
        if not shares:
            # A limit of 0 blocks the key outright; no limit at all has no share.
            return 1.0 if self.has_limit else None
        return max(shares)


@dataclass(frozen=True, slots=True)
class ModelRateLimit:
    model_id: str
    #: (type, amount): RPM, RPD, TPM…
    limits: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class RateLimits:
    """What the calling key may do (answered for any valid key, ADMIN or not)."""

    access_permitted: bool
    tier: str
    is_charged: bool
    #: The key's balances, clamped to its own remaining limit.
    usd: float | None
    diem: float | None
    key_expires_at: datetime | None
    next_epoch_at: datetime | None
    models: tuple[ModelRateLimit, ...]


class _Balances(msgspec.Struct):
    diem: Any = None
    usd: Any = None
    bundledCredits: Any = None
    earnedCredits: Any = None


class _BalanceWire(msgspec.Struct):
    balances: _Balances
    canConsume: bool = True
    consumptionCurrency: Any = None
    diemEpochAllocation: Any = None


class _Limits(msgspec.Struct):
    usd: Any = None
    diem: Any = None


class _Usage(msgspec.Struct):
    usd: Any = None
    diem: Any = None


class _KeyWire(msgspec.Struct):
    id: str
    description: Any = None
    apiKeyType: Any = None
    last6Chars: Any = None
    createdAt: Any = None
    lastUsedAt: Any = None
    expiresAt: Any = None
    consumptionLimits: _Limits | None = None
    limitPeriod: Any = None
    currentPeriodUsage: _Usage | None = None


class _KeysWire(msgspec.Struct):
    data: list[_KeyWire]


class _Tier(msgspec.Struct):
    id: Any = None
    isCharged: Any = None


class _ModelLimit(msgspec.Struct):
    type: Any = None
    amount: Any = None


class _ModelLimits(msgspec.Struct):
    apiModelId: Any = None
    rateLimits: list[_ModelLimit] = msgspec.field(default_factory=list)


class _RateBalances(msgspec.Struct):
    USD: Any = None
    DIEM: Any = None


class _RateData(msgspec.Struct):
    accessPermitted: bool = False
    apiTier: _Tier | None = None
    balances: _RateBalances | None = None
    keyExpiration: Any = None
    nextEpochBegins: Any = None
    rateLimits: list[_ModelLimits] = msgspec.field(default_factory=list)


class _RateWire(msgspec.Struct):
    data: _RateData


_balance_decoder = msgspec.json.Decoder(_BalanceWire, strict=False)
_keys_decoder = msgspec.json.Decoder(_KeysWire, strict=False)
_rate_decoder = msgspec.json.Decoder(_RateWire, strict=False)


def _checked(what: str, build: Any) -> Any:
    try:
        return build()
    except BadValue as exc:
        raise ResponseShapeError(f"Venice sent {what} of an unexpected shape: {exc}") from None


def decode_balance(body: bytes | str) -> Balance:
    wire: _BalanceWire = decode_wire(_balance_decoder, body, "the balance")

    def build() -> Balance:
        b = wire.balances
        return Balance(
            can_consume=bool(wire.canConsume),
            consumption_currency=safe_name(wire.consumptionCurrency) or None,
            usd=optional_number(b.usd, "balances.usd"),
            diem=optional_number(b.diem, "balances.diem"),
            bundled_credits=optional_number(b.bundledCredits, "balances.bundledCredits"),
            earned_credits=optional_number(b.earnedCredits, "balances.earnedCredits"),
            diem_allocation=optional_number(wire.diemEpochAllocation, "diemEpochAllocation"),
        )

    result: Balance = _checked("the balance", build)
    return result


def decode_api_keys(body: bytes | str) -> tuple[ApiKeyInfo, ...]:
    wire: _KeysWire = decode_wire(_keys_decoder, body, "the list of API keys")

    def build() -> tuple[ApiKeyInfo, ...]:
        return tuple(_key(row, f"data[{i}]") for i, row in enumerate(wire.data))

    result: tuple[ApiKeyInfo, ...] = _checked("the list of API keys", build)
    return result


def _key(row: _KeyWire, where: str) -> ApiKeyInfo:
    limits = row.consumptionLimits or _Limits()
    usage = row.currentPeriodUsage or _Usage()
    key_id = safe_name(row.id)
    if not key_id:
        raise BadValue(f"{where}.id is empty")
    period = safe_name(row.limitPeriod).upper() or "EPOCH"
    return ApiKeyInfo(
        key_id=key_id,
        description=safe_name(row.description) or f"Key ...{key_id[-6:]}",
        key_type=safe_name(row.apiKeyType).upper() or "?",
        last6=safe_name(row.last6Chars),
        created_at=moment(row.createdAt, f"{where}.createdAt"),
        last_used_at=moment(row.lastUsedAt, f"{where}.lastUsedAt"),
        expires_at=moment(row.expiresAt, f"{where}.expiresAt"),
        limit_usd=optional_number(limits.usd, f"{where}.consumptionLimits.usd"),
        limit_diem=optional_number(limits.diem, f"{where}.consumptionLimits.diem"),
        limit_period=period,
        used_usd=optional_number(usage.usd, f"{where}.currentPeriodUsage.usd"),
        used_diem=optional_number(usage.diem, f"{where}.currentPeriodUsage.diem"),
    )


def decode_rate_limits(body: bytes | str) -> RateLimits:
    wire: _RateWire = decode_wire(_rate_decoder, body, "the key's limits")

    def build() -> RateLimits:
        data = wire.data
        tier = data.apiTier or _Tier()
        balances = data.balances or _RateBalances()
        models = tuple(
            ModelRateLimit(
                safe_name(m.apiModelId) or "?",
                tuple(
                    (safe_name(limit.type) or "?", optional_number(limit.amount, "amount") or 0.0)
                    for limit in m.rateLimits
                ),
            )
            for m in data.rateLimits
        )
        return RateLimits(
            access_permitted=bool(data.accessPermitted),
            tier=safe_name(tier.id) or "?",
            is_charged=bool(tier.isCharged),
            usd=optional_number(balances.USD, "data.balances.USD"),
            diem=optional_number(balances.DIEM, "data.balances.DIEM"),
            key_expires_at=moment(data.keyExpiration, "data.keyExpiration"),
            next_epoch_at=moment(data.nextEpochBegins, "data.nextEpochBegins"),
            models=models,
        )

    result: RateLimits = _checked("the key's limits", build)
    return result
