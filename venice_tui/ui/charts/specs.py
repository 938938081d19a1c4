"""Turns usage data into chart specs: which series, which colours and markers, honest units."""

from __future__ import annotations

from datetime import date
from itertools import accumulate

from venice_tui.core.domain import DailySeries, ModelUsage, UsageAnalytics
from venice_tui.core.format import truncate
from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.charts.spec import ChartSpec, Series
from venice_tui.ui.host import Currency

SERIES_COLORS = ("primary", "accent", "success", "warning", "error", "secondary", "foreground")
TOP_SERIES = 5
USD_COLOR = "primary"
DIEM_COLOR = "accent"


def day_tick(day: date) -> str:
    return day.strftime("%b %d")


def _marker(index: int) -> str:
    return GLYPHS.markers[index % len(GLYPHS.markers)]


def daily_bars(data: UsageAnalytics, currency: Currency) -> ChartSpec:
    labels = tuple(r.day.isoformat() for r in data.daily)
    ticks = tuple(day_tick(r.day) for r in data.daily)
    usd = Series("USD", tuple(r.usd for r in data.daily), USD_COLOR, GLYPHS.bar_marker)
    diem = Series(
        "DIEM", tuple(r.diem for r in data.daily), DIEM_COLOR, "▒" if not GLYPHS.ascii else "="
    )
    if currency == "both":
        return ChartSpec(
            "stacked", labels, (usd, diem), title="Daily spend: USD + DIEM", tick_labels=ticks
        )
    chosen = usd if currency == "usd" else diem
    return ChartSpec(
        "bar",
        labels,
        (chosen,),
        title=f"Daily spend: {chosen.name}",
        tick_labels=ticks,
        legend=False,
    )


def cumulative_lines(data: UsageAnalytics, currency: Currency) -> ChartSpec | None:
    """Running totals; None for a single day, where a line would be one dot."""
    if len(data.daily) < 2:
        return None
    labels = tuple(r.day.isoformat() for r in data.daily)
    ticks = tuple(day_tick(r.day) for r in data.daily)
    series = []
    if currency in ("both", "usd"):
        series.append(
            Series("USD", tuple(accumulate(r.usd for r in data.daily)), USD_COLOR, _marker(0))
        )
    if currency in ("both", "diem"):
        series.append(
            Series("DIEM", tuple(accumulate(r.diem for r in data.daily)), DIEM_COLOR, _marker(1))
        )
    return ChartSpec("line", labels, tuple(series), title="Cumulative spend", tick_labels=ticks)


def top_series_lines(
    daily: DailySeries, what: str, currency: Currency, limit: int = TOP_SERIES
) -> ChartSpec | None:
    """Daily lines of the top `limit` series. Venice sends USD + DIEM combined; with the
    `*DailyUsd` arrays, USD and DIEM can be shown apart, else the title says "USD + DIEM"."""
    names = [n for n in daily.names if n != "Other"][:limit]
    if not names or len(daily.days) < 2:
        return None
    labels = tuple(d.isoformat() for d in daily.days)
    ticks = tuple(day_tick(d) for d in daily.days)
    unit = "USD + DIEM"
    series = []
    for index, name in enumerate(names):
        values = daily.combined[name]
        if currency != "both" and daily.usd is not None:
            values = daily.usd[name] if currency == "usd" else daily.diem(name) or values
            unit = currency.upper()
        series.append(
            Series(
                truncate(name, 22),
                values,
                SERIES_COLORS[index % len(SERIES_COLORS)],
                _marker(index),
            )
        )
    return ChartSpec(
        "line",
        labels,
        tuple(series),
        title=f"Daily spend of the top {what} ({unit})",
        tick_labels=ticks,
    )


def no_lines_text(daily: DailySeries, what: str) -> str:
    """Why `top_series_lines` has nothing to draw, in words."""
    if len(daily.days) < 2:
        return "One day: no daily lines (d picks a longer period)"
    return f"Venice sent no daily series for {what} in this period"


def breakdown_bars(model: ModelUsage) -> ChartSpec | None:
    if not model.breakdown:
        return None
    items = model.breakdown
    labels = tuple(truncate(item.type, 14) for item in items)
    values = tuple(item.usd + item.diem for item in items)
    return ChartSpec(
        "hbar",
        labels,
        (Series("spend", values, "accent", GLYPHS.bar_full),),
        title="Spend by type (USD + DIEM)",
        legend=False,
    )
