"""A seeded, believable account, served as `/billing/usage-analytics` bodies.

Every number for a given day comes from a hash of (seed, day, model or key), so a 7-day and a
30-day query agree on the days they share, and the same seed always tells the same story.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from venice_tui.demo import schedule
from venice_tui.demo.catalog import (
    STANDARD_KEYS,
    STANDARD_MODELS,
    DemoKey,
    DemoModel,
    KeyLimit,
    big_catalog,
    hostile_catalog,
)
from venice_tui.demo.seeded import noise

TOP_SERIES = 50


@dataclass(frozen=True, slots=True)
class Spike:
    days_ago: int
    model_name: str
    #: Spend added that day on top of the model's usual rhythm, USD + DIEM.
    extra: float


@dataclass(frozen=True)
class DemoAccount:
    models: tuple[DemoModel, ...] = STANDARD_MODELS
    keys: tuple[DemoKey, ...] = STANDARD_KEYS
    seed: int = 7
    #: DIEM the account's stake allots per UTC day; spend beyond it is paid in USD.
    diem_per_day: float = 12.0
    spikes: tuple[Spike, ...] = (
        Spike(3, "Qwen 3 Coder 480B", 30.0),  # a runaway coding agent
        Spike(17, "Wan 2.5 Video", 12.0),  # a video campaign
    )
    empty: bool = False
    #: USD left on the account (bundled credits aside).
    usd_balance: float = 412.5
    #: Requests cost this many times less than usual: more ledger rows for the same spend.
    request_scale: float = 1.0
    _cache: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict, compare=False)
    _whole_cache: dict[tuple[Any, ...], tuple[float, float]] = field(
        default_factory=dict, compare=False
    )

    @classmethod
    def big(cls, seed: int = 7) -> DemoAccount:
        models, keys = big_catalog()
        return cls(models=models, keys=keys, seed=seed, diem_per_day=40.0)

    @classmethod
    def another(cls, seed: int = 11) -> DemoAccount:
        """A second, smaller account: its own key ids (so it is told apart as another Venice
        account) and its own numbers. The demo server answers it for a key that holds
        `ANOTHER_ACCOUNT_MARK`."""
        keys = tuple(
            replace(key, key_id=None if key.key_id is None else "b0" + key.key_id[2:])
            for key in STANDARD_KEYS
        )
        return cls(models=STANDARD_MODELS[:5], keys=keys, seed=seed, diem_per_day=4.0, spikes=())

    @classmethod
    def work(cls) -> DemoAccount:
        """The demo fleet's main account: the standard one without the keys whose limits are
        sized to their use (reached each afternoon, near at the month's end), so that its worst
        news is its monthly budget, not a key."""
        keys = tuple(
            replace(key, limit=None) if key.limit is not None and key.limit.of_use else key
            for key in STANDARD_KEYS
        )
        return cls(keys=keys)

    @classmethod
    def client(cls, seed: int = 23) -> DemoAccount:
        """The demo fleet's agency client: mid-sized, paid mostly in USD, and its chatbot key
        at its lifetime Venice limit (Venice refuses that key's calls)."""
        keys = (
            DemoKey(
                "c1e2a3b4-0001-4a1b-8c2d-3e4f5a6b7c01",
                "Client chatbot",
                0.55,
                limit=KeyLimit(period="LIFETIME", of_use=0.9),
            ),
            DemoKey("c1e2a3b4-0002-4a1b-8c2d-3e4f5a6b7c02", "Client batch", 0.35, weekday_bias=0.2),
            DemoKey(
                "c1e2a3b4-0003-4a1b-8c2d-3e4f5a6b7c03", "Agency (admin)", 0.0, key_type="ADMIN"
            ),
        )
        models = tuple(replace(m, daily_spend=m.daily_spend * 0.5) for m in STANDARD_MODELS[:4])
        return cls(
            models=models, keys=keys, seed=seed, diem_per_day=2.0, spikes=(), usd_balance=1260.0
        )

    @classmethod
    def staging(cls, seed: int = 31) -> DemoAccount:
        """The demo fleet's quiet one: a staging account spending cents a day, all in DIEM."""
        keys = (
            DemoKey("5a7b9c1d-0001-4e2f-9a3b-4c5d6e7f8a01", "Staging CI", 0.8, weekday_bias=0.9),
            DemoKey("5a7b9c1d-0002-4e2f-9a3b-4c5d6e7f8a02", "Ops (admin)", 0.0, key_type="ADMIN"),
        )
        models = tuple(replace(m, daily_spend=m.daily_spend * 0.04) for m in STANDARD_MODELS[:3])
        return cls(
            models=models, keys=keys, seed=seed, diem_per_day=5.0, spikes=(), usd_balance=38.4
        )

    @classmethod
    def hostile(cls, seed: int = 7) -> DemoAccount:
        """Names a hostile server might send, for tests of what reaches the terminal."""
        models, keys = hostile_catalog()
        spikes = (Spike(3, models[1].name, 30.0),)
        return cls(models=models, keys=keys, seed=seed, spikes=spikes)

    def analytics(self, days: list[date], now: datetime, lookback: str) -> dict[str, Any]:
        """The endpoint's body (live shape: ascending YYYY-MM-DD rows, ms series dates)."""
        cache_key = (days[0], days[-1], now.replace(second=0, microsecond=0), lookback)
        cached = self._cache.get(cache_key)
        if cached is None:
            if len(self._cache) > 32:
                self._cache.clear()
            cached = self._cache[cache_key] = _Builder(self, days, now).body(lookback)
        return cached

    def key_usage(
        self, key_index: int, first: date, last: date, now: datetime
    ) -> tuple[float, float]:
        """A key's USD and DIEM between two days (inclusive), as the usage body reports them."""
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return _Builder(self, days, now).key_split(key_index)

    def key_usage_whole(
        self, key_index: int, first: date, last: date, now: datetime
    ) -> tuple[float, float]:
        """A key's USD and DIEM between two days as if every one of them were over (the rest of
        today and the days to come as the story sees them now)."""
        # As if over, a day does not change with the hour: one answer per key, period and day.
        cache_key = (key_index, first, last, now.astimezone(UTC).date())
        known = self._whole_cache.get(cache_key)
        if known is None:
            if len(self._whole_cache) > 256:
                self._whole_cache.clear()
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            builder = _Builder(self, days, now, whole_days=True)
            known = self._whole_cache[cache_key] = builder.key_split(key_index)
        return known

    def whole_day(self, day: date, now: datetime) -> tuple[list[float], float]:
        """Each model's USD + DIEM on `day` as if the day were over, and the DIEM of it (spent
        first): what the ledger of that day adds up to."""
        builder = _Builder(self, [day], now, whole_days=True)
        return [per_day[0] for per_day in builder.spend], builder.day_diem[0]

    def diem_spent_today(self, now: datetime) -> float:
        return _Builder(self, [now.astimezone(UTC).date()], now).day_diem[0]


class _Builder:
    def __init__(
        self, account: DemoAccount, days: list[date], now: datetime, whole_days: bool = False
    ) -> None:
        self.account = account
        self.days = days
        self.now = now.astimezone(UTC)
        self.today = self.now.date()
        #: Every day as if it were over, today and the days after it too (the ledger's schedule
        #: of a whole day; a period's whole use, against which a key's limit is set).
        self.whole_days = whole_days
        # spend[m][d]: model m's USD + DIEM on day d
        self.spend = [
            [self._model_day(i, m, day) for day in days] for i, m in enumerate(account.models)
        ]
        self.day_spend = (
            [math.fsum(col) for col in zip(*self.spend, strict=True)]
            if account.models
            else [0.0] * len(days)
        )
        # DIEM pays first, up to the day's allocation; what is spent beyond it is USD.
        self.day_diem = [min(total, account.diem_per_day) for total in self.day_spend]
        self.key_shares = [self._key_shares(d, day) for d, day in enumerate(days)]

    def _model_day(self, model_index: int, model: DemoModel, day: date) -> float:
        whole = self.whole_model_day(model_index, model, day)
        if day < self.today or self.whole_days:
            return whole
        if day > self.today:
            return 0.0
        # Today: the part of the day's requests made by now, as the ledger holds them.
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        done = schedule.share_done(
            self.account.seed,
            day.toordinal(),
            model_index,
            model.model_type,
            whole,
            self.account.request_scale,
            int((self.now - midnight).total_seconds() * 1000),
        )
        return round(whole * done, 6)

    def whole_model_day(self, model_index: int, model: DemoModel, day: date) -> float:
        """The model's USD + DIEM on `day` as if the day were over (as seen from today)."""
        if self.account.empty:
            return 0.0
        days_ago = (self.today - day).days
        if model.adopted_days_ago is not None and days_ago > model.adopted_days_ago:
            return 0.0
        weekend = day.weekday() >= 5
        rhythm = 1.0 - (0.75 * model.weekday_bias if weekend else 0.0)
        trend = 1.0 + 0.004 * (30 - min(days_ago, 90))
        amount = model.daily_spend * rhythm * trend
        amount *= noise(0.28, self.account.seed, day.toordinal(), model_index)
        for spike in self.account.spikes:
            if spike.days_ago == days_ago and spike.model_name == model.name:
                amount += spike.extra
        return round(amount, 6)

    def _key_shares(self, day_index: int, day: date) -> list[float]:
        weekend = day.weekday() >= 5
        raw = [
            max(0.0, key.weight * (1.0 - (0.75 * key.weekday_bias if weekend else 0.0)))
            * noise(0.35, self.account.seed, day.toordinal(), 10_000 + k)
            for k, key in enumerate(self.account.keys)
        ]
        total = math.fsum(raw) or 1.0
        return [value / total for value in raw]

    def key_split(self, k: int) -> tuple[float, float]:
        per_day = [self.day_spend[d] * self.key_shares[d][k] for d in range(len(self.days))]
        return self._split(per_day)

    def _usd_part(self, d: int) -> float:
        total = self.day_spend[d]
        return 0.0 if total == 0 else (total - self.day_diem[d]) / total

    def body(self, lookback: str) -> dict[str, Any]:
        models = self._models()
        keys = self._keys()
        model_daily, model_daily_usd, top_models = self._series(
            [m.name for m in self.account.models], self.spend
        )
        key_names = [_key_label(k, self.account.keys) for k in self.account.keys]
        key_spend = [
            [round(self.day_spend[d] * self.key_shares[d][k], 6) for d in range(len(self.days))]
            for k in range(len(self.account.keys))
        ]
        key_daily, key_daily_usd, top_keys = self._series(key_names, key_spend)
        return {
            "lookback": lookback,
            "byDate": [
                {
                    "date": day.isoformat(),
                    "USD": round(self.day_spend[d] - self.day_diem[d], 6),
                    "DIEM": round(self.day_diem[d], 6),
                }
                for d, day in enumerate(self.days)
            ],
            "byModel": models,
            "byModelDaily": model_daily,
            "byModelDailyUsd": model_daily_usd,
            "topModels": top_models,
            "byKey": keys,
            "byKeyDaily": key_daily,
            "byKeyDailyUsd": key_daily_usd,
            "topKeyNames": top_keys,
        }

    def _split(self, per_day: list[float]) -> tuple[float, float]:
        usd = math.fsum(v * self._usd_part(d) for d, v in enumerate(per_day))
        return round(usd, 6), round(math.fsum(per_day) - usd, 6)

    def _models(self) -> list[dict[str, Any]]:
        rows = []
        for model, per_day in zip(self.account.models, self.spend, strict=True):
            usd, diem = self._split(per_day)
            if usd == 0 and diem == 0:
                continue
            row: dict[str, Any] = {
                "modelName": model.name,
                "unitType": model.unit_type,
                "modelType": model.model_type,
                "totalUsd": usd,
                "totalDiem": diem,
            }
            if model.parts:
                parts = [
                    {
                        "type": part.type,
                        "usd": round(usd * part.cost_share, 6),
                        "diem": round(diem * part.cost_share, 6),
                        "units": round((usd + diem) * part.cost_share / part.usd_per_million * 1e6),
                    }
                    for part in model.parts
                ]
                row["totalUnits"] = sum(p["units"] for p in parts)
                row["breakdown"] = parts
            else:
                count = (usd + diem) / model.unit_price
                row["totalUnits"] = (
                    round(count, 1) if model.unit_type == "minutes" else round(count)
                )
            rows.append(row)
        rows.sort(key=lambda r: r["totalUsd"] + r["totalDiem"], reverse=True)
        return rows

    def _keys(self) -> list[dict[str, Any]]:
        total_units = sum(
            (math.fsum(per_day) / (m.unit_price or m.parts[0].usd_per_million / 1e6))
            for m, per_day in zip(self.account.models, self.spend, strict=True)
        )
        grand = math.fsum(self.day_spend) or 1.0
        rows: list[dict[str, Any]] = []
        for k, key in enumerate(self.account.keys):
            per_day = [self.day_spend[d] * self.key_shares[d][k] for d in range(len(self.days))]
            usd, diem = self._split(per_day)
            if usd == 0 and diem == 0:
                continue
            rows.append(
                {
                    "apiKeyId": key.key_id,
                    "description": _key_label(key, self.account.keys),
                    "totalUsd": usd,
                    "totalDiem": diem,
                    "totalUnits": round(total_units * (usd + diem) / grand),
                }
            )
        rows.sort(key=lambda r: r["totalUsd"] + r["totalDiem"], reverse=True)
        return rows

    def _series(
        self, names: list[str], per_day: list[list[float]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
        order = sorted(range(len(names)), key=lambda i: math.fsum(per_day[i]), reverse=True)
        order = [i for i in order if math.fsum(per_day[i]) > 0]
        top, rest = order[:TOP_SERIES], order[TOP_SERIES:]
        labels = [names[i] for i in top] + (["Other"] if rest else [])
        combined_rows, usd_rows = [], []
        for d, day in enumerate(self.days):
            stamp = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)
            values = [per_day[i][d] for i in top]
            if rest:
                values.append(math.fsum(per_day[i][d] for i in rest))
            share = self._usd_part(d)
            combined_rows.append(
                {"date": stamp, **{n: round(v, 6) for n, v in zip(labels, values, strict=True)}}
            )
            usd_rows.append(
                {
                    "date": stamp,
                    **{n: round(v * share, 6) for n, v in zip(labels, values, strict=True)},
                }
            )
        return combined_rows, usd_rows, labels


def _key_label(key: DemoKey, keys: tuple[DemoKey, ...]) -> str:
    """As the live service names keys: `Key ...<last 6>` without a description, and a suffix
    on duplicate descriptions."""
    if key.key_id is None:
        return key.description or "Web App"
    if not key.description:
        return f"Key ...{key.key_id[-6:]}"
    duplicates = sum(1 for other in keys if other.description == key.description)
    return f"{key.description} (...{key.key_id[-6:]})" if duplicates > 1 else key.description
