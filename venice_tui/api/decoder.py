"""Tolerant decoding of `/billing/usage-analytics` into `UsageAnalytics`.

Tolerant as ../shared/reference/NOTES.md asks: dates as `YYYY-MM-DD`, ISO datetimes or Unix
milliseconds; numbers as numbers or numeric strings; any number of series (plus `Other`);
`breakdown` and the `*DailyUsd` arrays optional; unknown fields ignored. Anything else raises
`ResponseShapeError`, the one typed decode error, naming what was wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from venice_tui.api.errors import BadResponseError
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
from venice_tui.api.period import MAX_DAYS, Period, seconds_since_epoch
from venice_tui.api.text import one_line, visible

# A server may round a day boundary differently from us; anything wider is not this period.
_MAX_SPAN_DAYS = 2 * MAX_DAYS
#: No real account spends (or uses units) beyond this in 90 days; larger values are refused so
#: that sums stay finite and `report --json` stays valid JSON.
MAX_PLAUSIBLE = 1e15
_NUMERIC = re.compile(r"^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$", re.ASCII)
_NAME_LIMIT = 200


class ResponseShapeError(BadResponseError):
    """The body parsed but is not the usage-analytics shape (or a value in it is unusable)."""


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
    except _BadValue as exc:
        raise ResponseShapeError(f"Venice sent usage data of an unexpected shape: {exc}") from None
    except (ValueError, TypeError, ArithmeticError) as exc:  # a case the checks above missed
        raise ResponseShapeError(
            f"Venice sent usage data that could not be read ({type(exc).__name__}: {exc})"
        ) from None


def decode_wire(decoder: msgspec.json.Decoder[Any], body: bytes | str, what: str) -> Any:
    """Parse `body` into the wire structs; one typed error naming the problem otherwise."""
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise ResponseShapeError(f"Venice sent {what} of an unexpected shape: {exc}") from None
    except msgspec.DecodeError as exc:
        raise BadResponseError(_describe_unparsable(body, exc, what)) from None
    except UnicodeDecodeError:
        raise BadResponseError(
            f"Venice sent {what} that is not valid UTF-8 text; try again"
        ) from None


class _BadValue(Exception):
    pass


def _describe_unparsable(body: bytes | str, exc: msgspec.DecodeError, what: str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    head = text.lstrip()[:200].lower()
    if not head:
        return f"Venice sent an empty response instead of {what}; try again"
    if head.startswith("<") or "<html" in head:
        return f"Venice (or a proxy in between) sent an HTML page instead of {what}; try again"
    if "truncated" in str(exc).lower() or "unexpected end" in str(exc).lower():
        return "the response from Venice was cut off before it ended; try again"
    return f"Venice sent a response that is not valid JSON ({exc}); try again"


def _build(wire: _Wire, period: Period, today: date) -> UsageAnalytics:
    daily_sums: dict[date, list[float]] = {}
    for index, row in enumerate(wire.byDate):
        day = parse_day_value(row.date, f"byDate[{index}].date")
        usd = _number(row.USD, f"byDate[{index}].USD")
        diem = _number(row.DIEM, f"byDate[{index}].DIEM")
        sums = daily_sums.setdefault(day, [0.0, 0.0])
        sums[0] += usd
        sums[1] += diem

    axis = _day_axis(period, today, daily_sums.keys())
    daily = tuple(DailyTotal(day, *(daily_sums.get(day) or (0.0, 0.0))) for day in axis)
    models = _models(wire.byModel)
    keys = _keys(wire.byKey)
    totals = Totals(
        usd=_tidy(math.fsum(d.usd for d in daily)),
        diem=_tidy(math.fsum(d.diem for d in daily)),
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
        raise _BadValue(
            f"byDate runs from {first.isoformat()} to {last.isoformat()}, far outside {period.label}"
        )
    return tuple(first + timedelta(days=i) for i in range(span))


def _models(rows: list[_ModelRow]) -> tuple[ModelUsage, ...]:
    used: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows):
        where = f"byModel[{index}]"
        name = _name(row.modelName) or "Unknown model"
        breakdown = tuple(
            BreakdownItem(
                type=_name(item.type) or "?",
                usd=_number(item.usd, f"{where}.breakdown[{i}].usd"),
                diem=_number(item.diem, f"{where}.breakdown[{i}].diem"),
                units=_number(item.units, f"{where}.breakdown[{i}].units"),
            )
            for i, item in enumerate(row.breakdown or ())
        )
        out.append(
            ModelUsage(
                row_key=_unique(name, used),
                name=name,
                model_type=_name(row.modelType) or None,
                unit_type=_name(row.unitType) or "units",
                usd=_number(row.totalUsd, f"{where}.totalUsd"),
                diem=_number(row.totalDiem, f"{where}.totalDiem"),
                units=_number(row.totalUnits, f"{where}.totalUnits"),
                breakdown=breakdown,
            )
        )
    return tuple(out)


def _keys(rows: list[_KeyRow]) -> tuple[KeyUsage, ...]:
    used: dict[str, int] = {}
    out = []
    for index, row in enumerate(rows):
        where = f"byKey[{index}]"
        key_id = _name(row.apiKeyId) or None
        description = _name(row.description)
        if not description:
            description = "Web App" if key_id is None else f"Key ...{key_id[-6:]}"
        out.append(
            KeyUsage(
                row_key=_unique(key_id or WEB_APP_ROW_KEY, used),
                key_id=key_id,
                description=description,
                usd=_number(row.totalUsd, f"{where}.totalUsd"),
                diem=_number(row.totalDiem, f"{where}.totalDiem"),
                units=_number(row.totalUnits, f"{where}.totalUnits"),
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
    ordered = [_name(n) for n in (names or []) if isinstance(n, str)]
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
            name = _name(raw_name)
            amount = _number(value, f"{field}[{index}].{name}")
            values = table.setdefault(name, [0.0] * len(axis))
            if slot is not None:
                values[slot] += amount
    return {name: tuple(values) for name, values in table.items()}


def parse_day_value(value: Any, where: str) -> date:
    """A day from `YYYY-MM-DD`, an ISO datetime, or a Unix timestamp in ms (or s)."""
    if isinstance(value, bool) or value is None:
        raise _BadValue(f"{where} is {value!r}, not a date")
    if isinstance(value, int | float):
        return _day_from_timestamp(float(value), where)
    if isinstance(value, str):
        text = value.strip()
        if _NUMERIC.match(text):
            return _day_from_timestamp(float(text), where)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise _BadValue(f"{where} is {_quoted(value)}, not a date") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    raise _BadValue(f"{where} is a {type(value).__name__}, not a date")


def _day_from_timestamp(stamp: float, where: str) -> date:
    seconds = seconds_since_epoch(stamp)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        raise _BadValue(f"{where} is {stamp:g}, not a usable timestamp") from None


def _number(value: Any, where: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        raise _BadValue(f"{where} is {value!r}, not a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise _BadValue(f"{where} is too large to be an amount") from None
    elif isinstance(value, str):
        if not _NUMERIC.match(value.strip()):
            raise _BadValue(f"{where} is {_quoted(value)}, not a number")
        number = float(value.strip())
    else:
        raise _BadValue(f"{where} is a {type(value).__name__}, not a number")
    if not math.isfinite(number) or abs(number) > MAX_PLAUSIBLE:
        raise _BadValue(f"{where} is {_quoted(value)}, not a plausible amount")
    return number


def _name(value: object) -> str:
    """A name or id from Venice, safe to show: stripped, one line, control characters visible."""
    if not isinstance(value, str):
        return ""
    return visible(value.strip())[:_NAME_LIMIT]


def _quoted(value: object) -> str:
    """A bad value quoted for an error message, shortened and made visible."""
    return one_line(repr(value), 40)


def _unique(base: str, used: dict[str, int]) -> str:
    count = used.get(base, 0) + 1
    used[base] = count
    return base if count == 1 else f"{base}#{count}"


def _tidy(value: float) -> float:
    """Drop float noise from sums (0.1 + 0.2) without losing any cent the API reports."""
    return round(value, 9) + 0.0
