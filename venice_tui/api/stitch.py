"""Answers for consecutive chunks of a long period, stitched into one.

Daily totals are laid end to end; models and keys are summed by identity (exact: each chunk's
totals are exact). The top series are not merged by guesswork: each chunk names its own top
50 and folds the rest into "Other", so when the chunks' lists differ and some chunk has an
"Other", a series' missing days are unknown, and `Stitching.series_differ` says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from venice_tui.api.models import (
    BreakdownItem,
    DailySeries,
    KeyUsage,
    ModelUsage,
    Stitching,
    Totals,
    UsageAnalytics,
)
from venice_tui.api.period import Period
from venice_tui.api.values import tidy, unique

OTHER = "Other"


def stitch(
    period: Period, parts: Sequence[UsageAnalytics], archived_days: int = 0
) -> UsageAnalytics:
    """One answer for `period` from the answers of its consecutive chunks, in order."""
    if not parts:
        raise ValueError("nothing to stitch")
    daily = tuple(day for part in parts for day in part.daily)
    model_series, differ_models = _series([p.model_series for p in parts])
    key_series, differ_keys = _series([p.key_series for p in parts])
    first, last = daily[0].day, daily[-1].day
    return UsageAnalytics(
        period=period,
        server_lookback=f"{first.isoformat()}:{last.isoformat()}",
        daily=daily,
        models=_models(parts),
        keys=_keys(parts),
        model_series=model_series,
        key_series=key_series,
        totals=Totals(
            usd=tidy(math.fsum(d.usd for d in daily)),
            diem=tidy(math.fsum(d.diem for d in daily)),
        ),
        stitching=Stitching(len(parts), archived_days, differ_models or differ_keys),
    )


def _models(parts: Sequence[UsageAnalytics]) -> tuple[ModelUsage, ...]:
    groups: dict[tuple[str, str, str | None], list[ModelUsage]] = {}
    for part in parts:
        for model in part.models:
            groups.setdefault((model.name, model.unit_type, model.model_type), []).append(model)
    used: dict[str, int] = {}
    out = []
    for (name, unit_type, model_type), rows in groups.items():
        out.append(
            ModelUsage(
                row_key=unique(name, used),
                name=name,
                model_type=model_type,
                unit_type=unit_type,
                usd=_sum(r.usd for r in rows),
                diem=_sum(r.diem for r in rows),
                units=_sum(r.units for r in rows),
                breakdown=_breakdown(rows),
            )
        )
    return tuple(sorted(out, key=lambda m: m.spend, reverse=True))


def _breakdown(rows: list[ModelUsage]) -> tuple[BreakdownItem, ...]:
    by_type: dict[str, list[BreakdownItem]] = {}
    for row in rows:
        for item in row.breakdown:
            by_type.setdefault(item.type, []).append(item)
    return tuple(
        BreakdownItem(
            kind,
            _sum(i.usd for i in items),
            _sum(i.diem for i in items),
            _sum(i.units for i in items),
        )
        for kind, items in by_type.items()
    )


def _keys(parts: Sequence[UsageAnalytics]) -> tuple[KeyUsage, ...]:
    groups: dict[str, list[KeyUsage]] = {}
    for part in parts:
        for key in part.keys:
            groups.setdefault(key.row_key, []).append(key)
    out = [
        KeyUsage(
            row_key=row_key,
            key_id=rows[-1].key_id,
            description=rows[-1].description,  # the latest name it went by
            usd=_sum(r.usd for r in rows),
            diem=_sum(r.diem for r in rows),
            units=_sum(r.units for r in rows),
        )
        for row_key, rows in groups.items()
    ]
    return tuple(sorted(out, key=lambda k: k.spend, reverse=True))


def _series(parts: Sequence[DailySeries]) -> tuple[DailySeries, bool]:
    totals: dict[str, float] = {}
    for part in parts:
        for name in part.names:
            totals[name] = totals.get(name, 0.0) + math.fsum(part.combined[name])
    names = sorted(totals, key=lambda n: (n == OTHER, -totals[n]))
    days: tuple[date, ...] = tuple(day for part in parts for day in part.days)
    combined = {n: _joined(parts, n, lambda p, name: p.combined.get(name)) for n in names}
    usd = None
    if all(p.usd is not None for p in parts):
        usd = {n: _joined(parts, n, lambda p, name: (p.usd or {}).get(name)) for n in names}
    lists = {frozenset(p.names) - {OTHER} for p in parts}
    differ = len(lists) > 1 and any(OTHER in p.names for p in parts)
    return DailySeries(tuple(names), days, combined, usd), differ


Pick = Callable[[DailySeries, str], "tuple[float, ...] | None"]


def _joined(parts: Sequence[DailySeries], name: str, pick: Pick) -> tuple[float, ...]:
    """A series over every chunk's days; a chunk without it contributes zeros."""
    out: list[float] = []
    for part in parts:
        got = pick(part, name)
        out.extend(got if got is not None else (0.0,) * len(part.days))
    return tuple(out)


def _sum(values: Iterable[float]) -> float:
    return tidy(math.fsum(values))
