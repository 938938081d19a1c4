"""`venice-tui metrics`: the account's numbers for Prometheus, with `prometheus-client`.

`--listen HOST:PORT` serves `/metrics` (scrape-driven, Venice asked at most once per
`--min-interval`); `--textfile PATH` fetches once and writes the exposition atomically for
node_exporter's textfile collector (run it from cron). Label values (model names, key names)
come from the account and are escaped by the client library's exposition.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.models import DailySeries
from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.metrics_source import Gathered, MetricsSource
from venice_tui.commands.report import say
from venice_tui.core.key_names import key_names
from venice_tui.core.money import runway
from venice_tui.core.paths import write_atomically

#: How long the first scrape waits for the first fetch before answering without numbers
#: (below Prometheus's default scrape timeout of 10 s).
FIRST_WAIT = 8.0


class AccountCollector(Collector):
    def __init__(self, source: MetricsSource, first_wait: float = FIRST_WAIT) -> None:
        self.source, self.first_wait = source, first_wait

    def collect(self) -> Iterator[Metric]:
        self.source.on_scrape(wait=self.first_wait)
        yield from families(self.source)


def families(source: MetricsSource) -> Iterator[Metric]:
    ok = source.data is not None and source.last_error is None
    yield _gauge("venice_up", "1 when the last fetch from Venice succeeded", 1.0 if ok else 0.0)
    yield _gauge(
        "venice_last_fetch_failed",
        "1 when the last fetch failed (the values are then the last good ones)",
        0.0 if source.last_error is None else 1.0,
    )
    fetches = CounterMetricFamily(
        "venice_upstream_fetches", "Fetches from Venice (each a few requests)"
    )
    fetches.add_metric([], source.fetches)
    yield fetches
    data = source.data
    if data is None:
        return
    yield _gauge(
        "venice_data_age_seconds", "Seconds since the values were fetched", source.age_seconds or 0
    )
    yield from _sources(source, data)
    if "usage" not in data.surprises:
        yield from _spend(data)
    if "balance" not in data.surprises:
        yield from _balance(data)
    if "usage" not in data.surprises:
        yield from _figures(data)
    if "api_keys" not in data.surprises:
        yield from _keys(data)
    if "usage" not in data.surprises:
        yield from _today_by_series(data)
    budgets = GaugeMetricFamily(
        "venice_budget_usd", "The profile's USD budgets (config.toml)", labels=["window"]
    )
    for window, value in (
        ("month", source.budgets.account.monthly_usd),
        ("day", source.budgets.account.daily_usd),
    ):
        if value:
            budgets.add_metric([window], value)
    yield budgets


def _sources(source: MetricsSource, data: Gathered) -> Iterator[Metric]:
    """Per endpoint: whether its last answer was good, and how old the values served are (a
    failed balance keeps serving the last good one)."""
    up = GaugeMetricFamily(
        "venice_source_up", "1 when the endpoint's last answer was good", labels=["source"]
    )
    age = GaugeMetricFamily(
        "venice_source_age_seconds",
        "Seconds since the values served for the endpoint were fetched",
        labels=["source"],
    )
    usage_ok = source.last_error is None and "usage" not in data.surprises
    up.add_metric(["usage"], 1.0 if usage_ok else 0.0)
    age.add_metric(["usage"], max(0.0, (utc_now() - data.fetched_at).total_seconds()))
    for name, label in (("balance", "balance"), ("keys", "api_keys"), ("limits", "rate_limits")):
        piece = getattr(data.state, name)
        up.add_metric([label], 0.0 if piece.error or label in data.surprises else 1.0)
        if piece.value is not None and piece.fetched_at is not None:
            age.add_metric([label], max(0.0, (utc_now() - piece.fetched_at).total_seconds()))
    yield up
    yield age


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _spend(data: Gathered) -> Iterator[Metric]:
    usd = GaugeMetricFamily(
        "venice_spend_usd",
        "USD spent: today (UTC), in the period asked for, this month so far",
        labels=["window"],
    )
    diem = GaugeMetricFamily("venice_spend_diem", "DIEM spent, same windows", labels=["window"])
    day = data.fetched_at.date()
    windows = (
        ("today", *data.totals_since(day)),
        ("period", data.period_usd, data.period_diem),
        ("month", *data.totals_since(day.replace(day=1))),
    )
    for window, usd_value, diem_value in windows:
        usd.add_metric([window], usd_value)
        diem.add_metric([window], diem_value)
    yield usd
    yield diem


def _balance(data: Gathered) -> Iterator[Metric]:
    balance = data.state.balance.value
    if balance is None:
        return
    yield _gauge("venice_balance_usd", "USD balance", balance.usd or 0.0)
    if balance.bundled_credits is not None:
        yield _gauge("venice_bundled_credits_usd", "Bundled credits left", balance.bundled_credits)
    if balance.diem is not None:
        yield _gauge("venice_diem_left", "DIEM left of today's allocation", balance.diem)
    if balance.diem_allocation is not None:
        yield _gauge("venice_diem_allocation", "DIEM granted per UTC day", balance.diem_allocation)


def _figures(data: Gathered) -> Iterator[Metric]:
    """The account's figures (`core.figures`), the same the dashboard and `check` show."""
    figures = data.figures
    if figures.rate is not None:
        yield _gauge(
            "venice_rate_usd", "USD per day, the last 7 full UTC days", figures.rate.usd.amount
        )
    if figures.forecast is not None:
        yield _gauge(
            "venice_forecast_usd",
            "This month's USD: so far + the last 7 full days' rate for the rest",
            figures.forecast.usd.amount,
        )
    balance = data.state.balance.value
    lasts = runway(balance, figures.rate, figures.today) if balance is not None else None
    if lasts is not None and lasts.days is not None:
        yield _gauge(
            "venice_runway_seconds",
            "How long the USD balance lasts at that rate (Prometheus' base unit)",
            lasts.days * 86400,
        )


def _keys(data: Gathered) -> Iterator[Metric]:
    """Each key with a limit, by `key_id`, name and limit period. Two keys alike in all three
    (ids equal once made visible or cut at 200 characters) would be a duplicate series, which
    Prometheus answers by dropping the whole scrape: the one nearer its limit is kept, since
    that is what an alert must see, and a sum of two limits is no key's limit."""
    chosen: dict[tuple[str, str, str], ApiKeyInfo] = {}
    for key in data.state.keys.value or ():
        use = key.limit_use
        if use is None:
            continue
        names = (key.key_id, key.description, key.limit_period)
        kept = chosen.get(names)
        if kept is None or use > (kept.limit_use or 0.0):
            chosen[names] = key
    labels = ["key_id", "key", "limit_period"]
    ratio = GaugeMetricFamily(
        "venice_key_limit_used_ratio",
        "The larger share of a key's own spending limit used (1 = at it: Venice answers 402)",
        labels=labels,
    )
    limit = GaugeMetricFamily(
        "venice_key_limit", "A key's spending limit", labels=[*labels, "currency"]
    )
    used = GaugeMetricFamily(
        "venice_key_limit_used", "Spent in the key's limit period", labels=[*labels, "currency"]
    )
    named = key_names(data.usage.keys, data.state.keys.value or ())
    for (key_id, description, period), key in chosen.items():
        labelled = [key_id, named.name(key.key_id, description), period]
        ratio.add_metric(labelled, key.limit_use or 0.0)
        for currency, cap, spent in (
            ("USD", key.limit_usd, key.used_usd),
            ("DIEM", key.limit_diem, key.used_diem),
        ):
            if cap is not None:
                limit.add_metric([*labelled, currency], cap)
                used.add_metric([*labelled, currency], spent or 0.0)
    yield ratio
    yield limit
    yield used


def _today_by_series(data: Gathered) -> Iterator[Metric]:
    """Today's spend per model and per key. A name appears once: names that became equal when
    made visible or cut at 200 characters were summed into one series by the decoder (what
    the dashboard shows under that name), so the model and key sums still add up to the day.
    Keys carry their `key_id` beside the name when one key has that name in the usage answer
    (empty for the Web App, `Other`, and a name several keys share)."""
    today = data.fetched_at.date()
    ids: dict[str, set[str]] = {}
    for key in data.usage.keys:
        ids.setdefault(key.description, set()).add(key.key_id or "")
    names = key_names(data.usage.keys, data.state.keys.value or ())
    yield from _series_today(
        "venice_model_spend_today",
        ["model"],
        data.usage.model_series,
        today,
        "Model's spend today",
        lambda name: (name,),
    )
    yield from _series_today(
        "venice_key_spend_today",
        ["key_id", "key"],
        data.usage.key_series,
        today,
        "Key's spend today",
        lambda name: (
            key_id := _only(ids.get(name, set())),
            names.name(key_id or None, name),
        ),
    )


def _only(found: set[str]) -> str:
    return next(iter(found)) if len(found) == 1 else ""


def _series_today(
    name: str,
    labels: list[str],
    series: DailySeries,
    day: date,
    what: str,
    label_values: Callable[[str], tuple[str, ...]],
) -> Iterator[Metric]:
    combined = GaugeMetricFamily(name, f"{what}, USD + DIEM (top 50, then Other)", labels=labels)
    usd = GaugeMetricFamily(f"{name}_usd", f"{what}, the USD part", labels=labels)
    if day in series.days:
        slot = series.days.index(day)
        for series_name in dict.fromkeys(series.names):  # once each, whatever the decoder gave
            values = list(label_values(series_name))
            combined.add_metric(values, series.combined[series_name][slot])
            if series.usd is not None:
                usd.add_metric(values, series.usd[series_name][slot])
    yield combined
    if series.usd is not None:
        yield usd


def registry_for(source: MetricsSource, first_wait: float = FIRST_WAIT) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(AccountCollector(source, first_wait))
    return registry


def write_textfile(source: MetricsSource, path: Path) -> int:
    source.on_surprise = say
    source.fetch_now()
    if source.data is None:
        say(f"nothing written: {source.last_error or 'no data'}")
        return exits.FAILURE
    body = generate_latest(registry_for(source, first_wait=0))
    try:
        # Readable by node_exporter, which runs as its own user: numbers only, never the key.
        write_atomically(path, body, mode=0o644)
    except OSError as exc:
        say(f"cannot write {path} ({exc.strerror or exc})")
        return exits.FAILURE
    print(f"venice-tui: wrote {path} at {utc_now():%Y-%m-%d %H:%M:%S} UTC", file=sys.stderr)
    return exits.OK
