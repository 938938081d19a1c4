"""What the Overview tells at a glance, derived once per snapshot: KPIs, spikes, top rows."""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass
from datetime import date, datetime

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
    """This calendar month's spend: the actuals so far plus the recent rate for the rest."""

    usd: float
    diem: float
    #: `Nov`.
    month: str
    so_far: Totals
    #: How many complete days the rate is the average of (at most `RATE_WINDOW_DAYS`).
    rate_days: int


@dataclass(frozen=True, slots=True)
class Insights:
    total: Totals
    today: Totals | None
    #: The average of the period's complete days: today, still running, is left out
    #: (None when the period has no complete day, e.g. 1d).
    daily_average: Totals | None
    complete_days: int
    busiest: DailyTotal | None
    projection: Projection | None
    spikes: tuple[Spike, ...]
    top_models: tuple[ModelUsage, ...]
    top_keys: tuple[KeyUsage, ...]


def compute(
    data: UsageAnalytics, now: datetime, month_to_date: tuple[DailyTotal, ...] | None = None
) -> Insights:
    """`month_to_date` is this month's days so far (see `UsageStore`); without it there is no
    month-end forecast, since a forecast without the month's actuals would be a guess."""
    today = now.date()
    rows = data.daily
    today_row = next((r for r in rows if r.day == today), None)
    complete = [r for r in rows if r.day < today]
    average = (
        Totals(
            sum(r.usd for r in complete) / len(complete),
            sum(r.diem for r in complete) / len(complete),
        )
        if complete
        else None
    )
    busiest = max(rows, key=lambda r: r.spend) if rows and any(r.spend for r in rows) else None
    return Insights(
        total=Totals(data.totals.usd, data.totals.diem),
        today=Totals(today_row.usd, today_row.diem) if today_row else None,
        daily_average=average,
        complete_days=len(complete),
        busiest=busiest,
        projection=project_month(month_to_date, rows, now)
        if month_to_date and not data.period.ended_before(today)
        else None,
        spikes=find_spikes(data),
        top_models=tuple(sorted(data.models, key=lambda m: m.spend, reverse=True)[:3]),
        top_keys=tuple(sorted(data.keys, key=lambda k: k.spend, reverse=True)[:3]),
    )


def project_month(
    month_to_date: tuple[DailyTotal, ...], period_rows: tuple[DailyTotal, ...], now: datetime
) -> Projection | None:
    """Month-end spend: the month's actuals so far plus the rate of the last complete days
    (up to 7, from the month and the period together) for what is left of the month."""
    today = now.date()
    by_day = {r.day: r for r in period_rows}
    by_day.update({r.day: r for r in month_to_date})
    complete = sorted((r for r in by_day.values() if r.day < today), key=lambda r: r.day)
    recent = complete[-RATE_WINDOW_DAYS:]
    if not recent:
        return None
    rate = Totals(
        sum(r.usd for r in recent) / len(recent), sum(r.diem for r in recent) / len(recent)
    )
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    elapsed_today = (
        now - datetime.combine(today, datetime.min.time(), now.tzinfo)
    ).total_seconds() / 86400
    remaining = (days_in_month - today.day) + max(0.0, 1 - elapsed_today)
    so_far = Totals(sum(r.usd for r in month_to_date), sum(r.diem for r in month_to_date))
    return Projection(
        usd=so_far.usd + rate.usd * remaining,
        diem=so_far.diem + rate.diem * remaining,
        month=today.strftime("%b"),
        so_far=so_far,
        rate_days=len(recent),
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
