"""What the Overview tells at a glance, derived once per snapshot: KPIs, spikes, top rows."""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from venice_tui.api.models import DailyTotal, KeyUsage, ModelUsage, Totals, UsageAnalytics

RATE_WINDOW_DAYS = 7
#: A day counts as a spike when its spend is this many times the median day's, and at least
#: `SPIKE_MIN_EXTRA` (USD + DIEM) above it, so quiet accounts do not flag pennies.
SPIKE_RATIO = 1.6
SPIKE_MIN_EXTRA = 1.0


@dataclass(frozen=True, slots=True)
class Spike:
    day: date
    spend: float
    ratio: float
    #: The series (model) that grew most that day, with how much it added over its median.
    driver: str | None
    driver_extra: float


@dataclass(frozen=True, slots=True)
class Projection:
    usd: float
    diem: float
    month: str
    #: True when the month-to-date actuals are inside the period; else a pure rate estimate.
    from_actuals: bool


@dataclass(frozen=True, slots=True)
class Insights:
    total: Totals
    today: Totals | None
    daily_average: Totals
    busiest: DailyTotal | None
    projection: Projection | None
    spikes: tuple[Spike, ...]
    top_models: tuple[ModelUsage, ...]
    top_keys: tuple[KeyUsage, ...]


def compute(data: UsageAnalytics, now: datetime) -> Insights:
    today = now.date()
    rows = data.daily
    today_row = next((r for r in rows if r.day == today), None)
    complete = [r for r in rows if r.day < today] or list(rows)
    count = len(complete) or 1
    average = Totals(sum(r.usd for r in complete) / count, sum(r.diem for r in complete) / count)
    busiest = max(rows, key=lambda r: r.spend) if rows and any(r.spend for r in rows) else None
    return Insights(
        total=Totals(data.totals.usd, data.totals.diem),
        today=Totals(today_row.usd, today_row.diem) if today_row else None,
        daily_average=average,
        busiest=busiest,
        projection=_project(rows, now),
        spikes=find_spikes(data),
        top_models=tuple(sorted(data.models, key=lambda m: m.spend, reverse=True)[:3]),
        top_keys=tuple(sorted(data.keys, key=lambda k: k.spend, reverse=True)[:3]),
    )


def _project(rows: tuple[DailyTotal, ...], now: datetime) -> Projection | None:
    """Month-end spend: this month's actuals so far plus the recent daily rate for the rest."""
    today = now.date()
    complete = [r for r in rows if r.day < today][-RATE_WINDOW_DAYS:]
    if not complete:
        return None
    rate = Totals(
        sum(r.usd for r in complete) / len(complete), sum(r.diem for r in complete) / len(complete)
    )
    month_start = today.replace(day=1)
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    month_name = today.strftime("%b %Y")
    by_day = {r.day: r for r in rows}
    have_month = all(month_start + timedelta(days=i) in by_day for i in range(today.day))
    if not have_month:
        return Projection(rate.usd * days_in_month, rate.diem * days_in_month, month_name, False)
    actual = [by_day[month_start + timedelta(days=i)] for i in range(today.day)]
    elapsed_today = (
        now - datetime.combine(today, datetime.min.time(), now.tzinfo)
    ).total_seconds() / 86400
    remaining = (days_in_month - today.day) + max(0.0, 1 - elapsed_today)
    return Projection(
        sum(r.usd for r in actual) + rate.usd * remaining,
        sum(r.diem for r in actual) + rate.diem * remaining,
        month_name,
        True,
    )


def find_spikes(data: UsageAnalytics) -> tuple[Spike, ...]:
    rows = [r for r in data.daily if r.spend > 0]
    if len(rows) < 5:
        return ()
    median = statistics.median(r.spend for r in data.daily)
    series = data.model_series
    position = {day: i for i, day in enumerate(series.days)}
    spikes = []
    for row in rows:
        if row.spend < SPIKE_RATIO * median or row.spend - median < SPIKE_MIN_EXTRA:
            continue
        driver, extra = None, 0.0
        slot = position.get(row.day)
        if slot is not None:
            for name in series.names:
                values = series.combined[name]
                grew = values[slot] - statistics.median(values)
                if grew > extra:
                    driver, extra = name, grew
        spikes.append(
            Spike(row.day, row.spend, row.spend / median if median else float("inf"), driver, extra)
        )
    return tuple(spikes)
