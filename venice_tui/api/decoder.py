"""Tolerant decoding of `/billing/usage-analytics` into `UsageAnalytics`.

Tolerant as ../shared/reference/NOTES.md asks: dates as `YYYY-MM-DD`, ISO datetimes or Unix
milliseconds; numbers as numbers or numeric strings; any number of series (plus `Other`);
`breakdown` and the `*DailyUsd` arrays optional; unknown fields ignored. Anything else raises
`ResponseShapeError`, the one typed decode error, naming what was wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import msgspec

from venice_tui.api.models import (
    WEB_APP_ROW_KEY,
    BreakdownItem,
    DailySeries,
    DailyTotal,
    KeyUsage,
    ModelUsage,
    Totals,
    UsageAnalytics,
)
from venice_tui.api.period import MAX_DAYS, Period
from venice_tui.api.values import (
    BadValue,
    ResponseShapeError,
    decode_wire,
    number,
    parse_day_value,
    safe_name,
    tidy,
    unique,
)

# A server may round a day boundary differently from us; anything wider is not this period.
_MAX_SPAN_DAYS = 2 * MAX_DAYS


class _Breakdown(msgspec.Struct):
    type: str = "?"
    usd: float | None = None
    diem: float | None = None
    units: float | None = None


class _DayRow(msgspec.Struct):
    date: Any = None
    USD: float | None = None
    DIEM: float | None = None


class _ModelRow(msgspec.Struct):
    modelName: str | None = None
    unitType: str | None = None
    modelType: str | None = None
    totalUsd: float | None = None
    totalDiem: float | None = None
    totalUnits: float | None = None
    breakdown: list[_Breakdown] | None = None


class _KeyRow(msgspec.Struct):
    apiKeyId: str | None = None
    description: str | None = None
    totalUsd: float | None = None
    totalDiem: float | None = None
    totalUnits: float | None = None


class _Wire(msgspec.Struct):
    byDate: list[_DayRow]
    byModel: list[_ModelRow]
    byKey: list[_KeyRow]
    lookback: str | None = None
    byModelDaily: list[dict[str, Any]] | None = None
    byModelDailyUsd: list[dict[str, Any]] | None = None
    topModels: list[str] | None = None
    byKeyDaily: list[dict[str, Any]] | None = None
    byKeyDailyUsd: list[dict[str, Any]] | None = None
    topKeyNames: list[str] | None = None


_decoder = msgspec.json.Decoder(_Wire, strict=False)


def decode_usage(body: bytes | str, period: Period, today: date) -> UsageAnalytics:
    """Decode a 200 body for `period`, as seen on `today` (UTC)."""
    wire = decode_wire(_decoder, body, "usage data")
    try:
        return _build(wire, period, today)
    except BadValue as exc:
        raise ResponseShapeError(f"Venice sent usage data of an unexpected shape: {exc}") from None
    except (ValueError, TypeError, ArithmeticError) as exc:  # a case the checks above missed
        raise ResponseShapeError(
            f"Venice sent usage data that could not be read ({type(exc).__name__}: {exc})"
        ) from None


def _build(wire: _Wire, period: Period, today: date) -> UsageAnalytics:
    daily_sums: dict[date, list[float]] = {}
    for index, row in enumerate(wire.byDate):
        day = parse_day_value(row.date, f"byDate[{index}].date")
        usd = number(row.USD, f"byDate[{index}].USD")
        diem = number(row.DIEM, f"byDate[{index}].DIEM")
        sums = daily_sums.setdefault(day, [0.0, 0.0])
        sums[0] += usd
        sums[1] += diem

    axis = _day_axis(period, today, daily_sums.keys())
    daily = tuple(DailyTotal(day, *(daily_sums.get(day) or (0.0, 0.0))) for day in axis)
    models = _models(wire.byModel)
    keys = _keys(wire.byKey)
    totals = Totals(
        usd=tidy(math.fsum(d.usd for d in daily)),
        diem=tidy(math.fsum(d.diem for d in daily)),
    )
    return UsageAnalytics(
        period=period,
        server_lookback=wire.lookback or period.label,
        daily=daily,
        models=models,
        keys=keys,
        model_series=_series(
            wire.byModelDaily, wire.byModelDailyUsd, wire.topModels, axis, "byModelDaily"
        ),
        key_series=_series(
            wire.byKeyDaily, wire.byKeyDailyUsd, wire.topKeyNames, axis, "byKeyDaily"
        ),
        totals=totals,
    )


def _day_axis(period: Period, today: date, seen: Iterable[date]) -> tuple[date, ...]:
    """Every day of the period, widened to any day the server returned, ascending, no gaps."""
    first, last = period.first_and_last(today)
    seen_days = list(seen)
    if seen_days:
        first = min(first, *seen_days)
        last = max(last, *seen_days)
    span = (last - first).days + 1
    if span > _MAX_SPAN_DAYS:
        raise BadValue(
            f"byDate runs from {first.isoformat()} to {last.isoformat()}, far outside {period.label}"
        )
    return tuple(first + timedelta(days=i) for i in range(span))


def _models(rows: list[_ModelRow]) -> tuple[ModelUsage, ...]:
    used: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows):
        where = f"byModel[{index}]"
        name = safe_name(row.modelName) or "Unknown model"
        breakdown = tuple(
            BreakdownItem(
                type=safe_name(item.type) or "?",
                usd=number(item.usd, f"{where}.breakdown[{i}].usd"),
                diem=number(item.diem, f"{where}.breakdown[{i}].diem"),
                units=number(item.units, f"{where}.breakdown[{i}].units"),
            )
            for i, item in enumerate(row.breakdown or ())
        )
        out.append(
            ModelUsage(
                row_key=unique(name, used),
                name=name,
                model_type=safe_name(row.modelType) or None,
                unit_type=safe_name(row.unitType) or "units",
                usd=number(row.totalUsd, f"{where}.totalUsd"),
                diem=number(row.totalDiem, f"{where}.totalDiem"),
                units=number(row.totalUnits, f"{where}.totalUnits"),
                breakdown=breakdown,
            )
        )
    return tuple(out)


def _keys(rows: list[_KeyRow]) -> tuple[KeyUsage, ...]:
    used: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows):
        where = f"byKey[{index}]"
        key_id = safe_name(row.apiKeyId) or None
        description = safe_name(row.description)
        if not description:
            description = "Web App" if key_id is None else f"Key ...{key_id[-6:]}"
        out.append(
            KeyUsage(
                row_key=unique(key_id or WEB_APP_ROW_KEY, used),
                key_id=key_id,
                description=description,
                usd=number(row.totalUsd, f"{where}.totalUsd"),
                diem=number(row.totalDiem, f"{where}.totalDiem"),
                units=number(row.totalUnits, f"{where}.totalUnits"),
            )
        )
    return tuple(out)


def _series(
    rows: list[dict[str, Any]] | None,
    usd_rows: list[dict[str, Any]] | None,
    names: list[str] | None,
    axis: tuple[date, ...],
    field: str,
) -> DailySeries:
    combined = _series_table(rows or [], axis, field)
    # Names equal once made safe (visible, cut at 200 characters) are one series, summed by
    # `_series_table`: listed once.
    ordered = list(dict.fromkeys(safe_name(n) for n in (names or []) if isinstance(n, str)))
    for name in combined:
        if name not in ordered:
            ordered.append(name)
    zeros = (0.0,) * len(axis)
    combined_out = {name: combined.get(name, zeros) for name in ordered}
    usd_out = None
    if usd_rows is not None:
        usd_table = _series_table(usd_rows, axis, f"{field}Usd")
        usd_out = {name: usd_table.get(name, zeros) for name in ordered}
    return DailySeries(names=tuple(ordered), days=axis, combined=combined_out, usd=usd_out)


def _series_table(
    rows: list[dict[str, Any]], axis: tuple[date, ...], field: str
) -> dict[str, tuple[float, ...]]:
    position = {day: i for i, day in enumerate(axis)}
    table: dict[str, list[float]] = {}
    for index, row in enumerate(rows):
        day = parse_day_value(row.get("date"), f"{field}[{index}].date")
        slot = position.get(day)
        for raw_name, value in row.items():
            if raw_name == "date":
                continue
            name = safe_name(raw_name)
            amount = number(value, f"{field}[{index}].{name}")
            values = table.setdefault(name, [0.0] * len(axis))
            if slot is not None:
                values[slot] += amount
    return {name: tuple(values) for name, values in table.items()}
