"""The account's derived figures: for a fixed account and clock, the rate, forecast, runway and
spikes are the same whatever period is shown (property tests over generated accounts, through
the store as the dashboard uses it), and the rounding rules hold for every value."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.payloads import encode
from tests.slice_functions import SliceFunctions
from venice_tui.api.account import Balance
from venice_tui.api.decoder import decode_usage
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.api.stitch import stitch
from venice_tui.core import format as fmt
from venice_tui.core.account_state import month_to_date, recent_period
from venice_tui.core.amounts import Diem, Usd
from venice_tui.core.budgets import Budgets, month_standing
from venice_tui.core.figures import Figures, basis_of, derive
from venice_tui.core.money import runway
from venice_tui.core.numbers import change, whole_percent
from venice_tui.core.store import Source, UsageStore

Series = dict[date, tuple[float, float, float]]


def account(seed: int, today: date, spikes: list[int]) -> Series:
    """400 days of USD, DIEM and model A's part of the spend, with spikes `spikes` days ago."""
    rng = random.Random(seed)
    series = {}
    for back in range(400):
        day = today - timedelta(days=back)
        usd = round(rng.uniform(0, 20) * (0.3 if day.weekday() >= 5 else 1), 6)
        diem = round(rng.uniform(0, 12), 6)
        if back in spikes:
            usd += 60.0
        series[day] = (usd, diem, rng.uniform(0.2, 0.8))
    return series


def analytics(series: Series, period: Period, today: date) -> UsageAnalytics:
    if period.is_long:  # fetched month by month, as the app does
        return stitch(period, [analytics(series, c, today) for c in period.chunks(today)])
    days = period.days(today)
    rows = [{"date": d.isoformat(), "USD": series[d][0], "DIEM": series[d][1]} for d in days]
    daily = []
    for d in days:
        usd, diem, share = series[d]
        daily.append(
            {"date": d.isoformat(), "A": (usd + diem) * share, "B": (usd + diem) * (1 - share)}
        )
    payload = {
        "byDate": rows,
        "byModel": [],
        "byKey": [],
        "byModelDaily": daily,
        "topModels": ["A", "B"],
    }
    return decode_usage(encode(payload), period, today)


def fetchers(series: Series, today: date) -> SliceFunctions:
    async def usage(period: Period) -> UsageAnalytics:
        return analytics(series, period, today)

    async def month() -> UsageAnalytics:
        return analytics(series, month_to_date(today), today)

    async def recent() -> UsageAnalytics:
        return analytics(series, recent_period(today), today)

    return SliceFunctions(fetch_usage=usage, fetch_month=month, fetch_recent=recent)


def figures_at(series: Series, now: datetime, period: Period) -> Figures:
    store = UsageStore(fetchers(series, now.date()), period, Source.DEMO, clock=lambda: now)
    assert asyncio.run(store.refresh())
    assert store.snapshot is not None and store.snapshot.period == period
    return store.figures


def periods(today: date) -> list[Period]:
    return [
        Period.lookback(1),
        Period.lookback(7),
        Period.lookback(30),
        Period.lookback(90),
        Period.lookback(365),
        Period.between(today.replace(day=1), today),
        Period.between(today - timedelta(days=200), today - timedelta(days=150)),
    ]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    minute=st.integers(0, 24 * 60 - 1),
    spikes=st.lists(st.integers(0, 40), max_size=3),
)
def test_every_period_shows_the_same_figures(
    seed: int, day: date, minute: int, spikes: list[int]
) -> None:
    now = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minute)
    series = account(seed, day, spikes)
    seen = {period: figures_at(series, now, period) for period in periods(day)}
    first = seen[Period.lookback(7)]
    assert all(figures == first for figures in seen.values()), seen
    # the rate is the last 7 full days before today, whichever period is shown
    rate = first.rate
    assert rate is not None and rate.basis == "last 7 full days"
    assert (rate.first, rate.last) == (day - timedelta(days=7), day - timedelta(days=1))
    week = [series[day - timedelta(days=i)] for i in range(1, 8)]
    assert abs(rate.usd.amount - sum(u for u, _, _ in week) / 7) < 1e-9
    # the forecast: this month so far plus that rate for what is left, today from `now`
    forecast = first.forecast
    assert forecast is not None and forecast.rate == rate
    so_far = sum(series[d][0] for d in month_to_date(day).days(day))
    assert abs(forecast.so_far_usd.amount - so_far) < 1e-9 and forecast.usd >= forecast.so_far_usd
    # the runway takes the same rate, so the same figure reaches the tile, balance and metrics
    balance = Balance(True, "USD", 500.0, None, 25.0, None, None)
    lasts = runway(balance, rate, day)
    assert lasts is not None and lasts.daily_usd == rate.usd
    # spikes: judged against the 30 full days before today, never against the view
    assert all(day - timedelta(days=30) <= s.day <= day for s in first.spikes)
    for back in spikes:
        usd, diem, _ = series[day - timedelta(days=back)]
        if back <= 30 and usd + diem > 60 + 32 * 1.6:
            assert day - timedelta(days=back) in {s.day for s in first.spikes}


def test_a_view_that_reaches_back_further_judges_no_spike_more() -> None:
    """The reproduction: at 365d a quiet account's busy day was a spike, at 7d and 90d not."""
    today = date(2026, 11, 30)
    series: Series = {}
    for back in range(400):
        day = today - timedelta(days=back)
        usd = 2.0 if back > 60 else 12.0  # the account grew two months ago
        series[day] = (usd, 0.0, 0.5)
    series[today] = (18.0, 0.0, 0.5)  # a busy day: 1.5x a usual day of the last 30, 9x of the year
    now = datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert {figures_at(series, now, p).spikes for p in periods(today)} == {()}
    series[today] = (40.0, 0.0, 0.5)
    spikes = {figures_at(series, now, p).spikes for p in periods(today)}
    assert len(spikes) == 1 and [s.day for s in spikes.pop()] == [today]


def test_the_first_hour_of_a_month_forecasts_from_the_last_7_full_days() -> None:
    """The reproduction: Dec 1, 00:07: the rate is the last 7 days of November at every
    period, 1d included (it said "needs one full day")."""
    today = date(2026, 12, 1)
    series = account(7, today, [])
    now = datetime(2026, 12, 1, 0, 7, tzinfo=UTC)
    seen = {figures_at(series, now, p) for p in periods(today)}
    assert len(seen) == 1
    figures = seen.pop()
    assert figures.rate is not None and figures.rate.first == date(2026, 11, 24)
    assert figures.forecast is not None and figures.forecast.month == "Dec"


def test_figures_wait_for_what_they_need_and_say_nothing_else() -> None:
    today = date(2026, 11, 25)
    basis = basis_of(today, None, None, None)
    figures = derive(basis)
    assert figures.rate is None and figures.forecast is None and figures.today_so_far is None
    series = account(3, today, [])
    recent = analytics(series, recent_period(today), today)
    only_full_days = derive(basis_of(today, None, recent, None))
    assert only_full_days.rate is not None and only_full_days.forecast is None
    # yesterday's slices say nothing about today
    stale = derive(basis_of(today + timedelta(days=1), None, recent, None))
    assert stale.rate is None


@given(st.floats(0, 1e7), st.floats(0.01, 1e7))
def test_a_change_is_never_minus_zero_and_rounds_toward_zero(now: float, before: float) -> None:
    text = change(now, before)
    assert text not in ("-0%", "+0%")
    points = (now - before) / before * 100
    if abs(points) < 1 - 1e-6:
        assert text == "±0%"
    elif abs(points) > 1 + 1e-6:
        assert abs(int(text.rstrip("%").lstrip("+"))) <= abs(points) + 1e-6


@given(st.floats(0, 1e7), st.floats(0.01, 1e7))
def test_one_percentage_rule(part: float, whole: float) -> None:
    shown = fmt.percent(part, whole)
    assert shown == f"{whole_percent(part, whole)}%"
    assert whole_percent(part, whole) <= part / whole * 100 + 1e-6  # never a share not reached


def test_money_reads_one_way() -> None:
    assert fmt.money(Usd(440.585)) == fmt.usd(440.585)
    assert fmt.money(Diem(11.954)) == "11.95 DIEM"
    assert fmt.money(Usd(0.004)) == "<$0.01" and fmt.usd(-3.1) == "-$3.10"


@given(st.floats(0, 1000), st.one_of(st.none(), st.floats(0, 2000)), st.floats(1, 1000))
def test_the_state_words_come_from_the_spent_share_then_the_forecast(
    spent: float, forecast: float | None, budget: float
) -> None:
    standing = month_standing(spent, forecast, budget, Budgets())
    share = spent / budget
    if share >= 1.0:
        assert (standing.level, standing.words) == ("over", "over budget")
    elif share >= 0.8:
        assert (standing.level, standing.words) == ("warning", "near budget")
    elif forecast is not None and forecast / budget >= 0.8:
        assert standing.level == "warning" and standing.words.startswith("forecast ")
    else:
        assert (standing.level, standing.words) == (None, "")
