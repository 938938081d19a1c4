"""The account's derived figures, computed once from its own daily series, whatever period is on
screen: the per-full-day rate, this month's forecast, spikes, and today and the month so far.
The period a person picks chooses what is drawn, never what these are.

The series (`Basis`) is the account's days from 30 days before today to today: a day of this
month as the month so far holds it (fetched with every refresh, the same numbers the budgets
weigh), an earlier day as the 30 full days before today hold it (fetched once a UTC day; a day
that is over no longer moves). Every place that shows a figure (tiles, the budget bar, alerts,
`check`, `balance`, metrics, the status line) takes it from here, so they cannot disagree.
"""

from __future__ import annotations

import calendar
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from venice_tui.api.models import DailySeries, DailyTotal, UsageAnalytics
from venice_tui.core.account_state import RECENT_DAYS, AccountState, month_to_date, recent_period
from venice_tui.core.amounts import Diem, Usd, UsdDiem, usd_plus_diem

#: The rate is the average of the last 7 full UTC days before today.
RATE_DAYS = 7
#: Spikes are judged against the median of the 30 full UTC days before today.
SPIKE_DAYS = RECENT_DAYS
#: A day counts as a spike when its spend is this many times the median full day's, and at
#: least `SPIKE_MIN_EXTRA` (USD + DIEM) above it, so quiet accounts do not flag pennies.
SPIKE_RATIO = 1.6
SPIKE_MIN_EXTRA = 1.0
#: Fewer days with spend than this say nothing about what a usual day is.
SPIKE_MIN_DAYS = 5


@dataclass(frozen=True, slots=True)
class Basis:
    """The daily series every figure is taken from (see the module's text)."""

    today: date
    #: When today's spend so far was read (the month so far's fetch): the forecast counts
    #: what is left of today from then, so it does not change while nothing new is known.
    as_of: datetime | None
    #: Ascending; days of [today - 30, today] that are known.
    days: tuple[DailyTotal, ...]
    #: This month so far (None: not loaded, or not today's).
    month: tuple[DailyTotal, ...] | None
    #: USD + DIEM per model and day, for the model that drove a spike.
    models: Mapping[str, Mapping[date, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rate:
    """Spend per full day: the average of the `RATE_DAYS` full UTC days before today."""

    usd: Usd
    diem: Diem
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def basis(self) -> str:
        return f"last {self.days} full days"


@dataclass(frozen=True, slots=True)
class Forecast:
    """This calendar month: what was spent since the 1st plus the rate for what is left."""

    usd: Usd
    diem: Diem
    #: `Nov`.
    month: str
    so_far_usd: Usd
    so_far_diem: Diem
    rate: Rate

    @property
    def basis(self) -> str:
        return f"this month so far + the {self.rate.basis}' rate"


@dataclass(frozen=True, slots=True)
class Spike:
    day: date
    spend: UsdDiem
    #: Times the median full day of the 30 before today.
    ratio: float
    #: The model that grew most that day, with how much it added over its median.
    driver: str | None
    driver_extra: UsdDiem


@dataclass(frozen=True, slots=True)
class Figures:
    today: date
    #: Today so far (None: this month so far is not loaded).
    today_so_far: DailyTotal | None = None
    month_usd: Usd | None = None
    month_diem: Diem | None = None
    rate: Rate | None = None
    forecast: Forecast | None = None
    #: Days of the basis judged spikes, ascending.
    spikes: tuple[Spike, ...] = ()

    def spikes_within(self, first: date, last: date) -> tuple[Spike, ...]:
        """The spikes a view of [first, last] draws (judged the same whatever the view)."""
        return tuple(s for s in self.spikes if first <= s.day <= last)


def derive(basis: Basis) -> Figures:
    today = basis.today
    by_day = {d.day: d for d in basis.days}
    rate = _rate(by_day, today)
    month = basis.month
    today_row = next((d for d in month or () if d.day == today), None)
    if month is not None and today_row is None:
        today_row = DailyTotal(today, 0.0, 0.0)
    month_usd = Usd.total(d.usd for d in month) if month is not None else None
    month_diem = Diem.total(d.diem for d in month) if month is not None else None
    forecast = None
    if rate is not None and month_usd is not None and month_diem is not None:
        forecast = _forecast(rate, month_usd, month_diem, today, basis.as_of)
    return Figures(
        today=today,
        today_so_far=today_row,
        month_usd=month_usd,
        month_diem=month_diem,
        rate=rate,
        forecast=forecast,
        spikes=_spikes(basis, by_day),
    )


def _rate(by_day: Mapping[date, DailyTotal], today: date) -> Rate | None:
    first, last = today - timedelta(days=RATE_DAYS), today - timedelta(days=1)
    days = [by_day.get(first + timedelta(days=i)) for i in range(RATE_DAYS)]
    known = [d for d in days if d is not None]
    if len(known) < RATE_DAYS:
        return None  # a rate of fewer days would be another figure under the same name
    return Rate(
        Usd.total(d.usd for d in known) / RATE_DAYS,
        Diem.total(d.diem for d in known) / RATE_DAYS,
        first,
        last,
    )


def _forecast(
    rate: Rate, so_far_usd: Usd, so_far_diem: Diem, today: date, as_of: datetime | None
) -> Forecast:
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    left_of_today = 1.0
    if as_of is not None and as_of.date() == today:
        start = datetime.combine(today, time.min, as_of.tzinfo)
        left_of_today = max(0.0, 1 - (as_of - start).total_seconds() / 86400)
    remaining = (days_in_month - today.day) + left_of_today
    return Forecast(
        usd=so_far_usd + rate.usd * remaining,
        diem=so_far_diem + rate.diem * remaining,
        month=today.strftime("%b"),
        so_far_usd=so_far_usd,
        so_far_diem=so_far_diem,
        rate=rate,
    )


def _spend(day: DailyTotal) -> UsdDiem:
    return usd_plus_diem(Usd(day.usd), Diem(day.diem))


def _spikes(basis: Basis, by_day: Mapping[date, DailyTotal]) -> tuple[Spike, ...]:
    today = basis.today
    first = today - timedelta(days=SPIKE_DAYS)
    full = [by_day[d] for d in _days(first, today - timedelta(days=1)) if d in by_day]
    if sum(1 for d in full if d.spend > 0) < SPIKE_MIN_DAYS:
        return ()
    median = statistics.median(d.spend for d in full)
    model_medians = {
        name: statistics.median(values.get(d.day, 0.0) for d in full)
        for name, values in basis.models.items()
    }
    spikes = []
    for day in sorted(by_day.values(), key=lambda d: d.day):
        if day.day < first or day.day > today:
            continue
        if day.spend < SPIKE_RATIO * median or day.spend - median < SPIKE_MIN_EXTRA:
            continue
        driver, extra = None, 0.0
        for name, values in basis.models.items():
            grew = values.get(day.day, 0.0) - model_medians[name]
            if grew > extra:
                driver, extra = name, grew
        ratio = day.spend / median if median else float("inf")
        spikes.append(Spike(day.day, _spend(day), ratio, driver, UsdDiem(extra)))
    return tuple(spikes)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def basis_of(
    today: date,
    month: UsageAnalytics | None,
    recent: UsageAnalytics | None,
    as_of: datetime | None,
) -> Basis:
    """The series from this month so far (when it is today's) and the 30 full days before
    today (when they are today's): a day of the month is taken from the month so far."""
    if month is not None and month.period != month_to_date(today):
        month = None
    if recent is not None and recent.period != recent_period(today):
        recent = None
    first = today - timedelta(days=SPIKE_DAYS)
    by_day: dict[date, DailyTotal] = {}
    models: dict[str, dict[date, float]] = {}
    for source in (recent, month):  # the month last: its days win
        if source is None:
            continue
        for row in source.daily:
            if first <= row.day <= today:
                by_day[row.day] = row
        _add_series(models, source.model_series, first, today)
    return Basis(
        today=today,
        as_of=as_of if month is not None else None,
        days=tuple(by_day[d] for d in sorted(by_day)),
        month=month.daily if month is not None else None,
        models=models,
    )


def basis_from_usage(usage: UsageAnalytics, today: date, as_of: datetime) -> Basis:
    """The series from one answer that covers the 30 days before today and the month so far
    (what `metrics` fetches): the same days, so the same figures."""
    first = today - timedelta(days=SPIKE_DAYS)
    month_first = today.replace(day=1)
    days = tuple(d for d in usage.daily if first <= d.day <= today)
    month = tuple(d for d in usage.daily if month_first <= d.day <= today)
    covers = {d.day for d in usage.daily}
    models: dict[str, dict[date, float]] = {}
    _add_series(models, usage.model_series, first, today)
    return Basis(
        today=today,
        as_of=as_of,
        days=days,
        month=month if month_first in covers and today in covers else None,
        models=models,
    )


def _add_series(
    models: dict[str, dict[date, float]], series: DailySeries, first: date, last: date
) -> None:
    for name in series.names:
        values = models.setdefault(name, {})
        for day, value in zip(series.days, series.combined[name], strict=True):
            if first <= day <= last:
                values[day] = value


def figures_of(state: AccountState, today: date) -> Figures:
    """The figures of the account's slices as they stand (see `UsageStore.figures`)."""
    month = state.month
    return derive(basis_of(today, month.value, state.recent.value, month.fetched_at))
