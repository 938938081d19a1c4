"""What the Overview draws of the period on screen: its totals, busiest day and top rows.

Figures of the account that must not depend on the period shown (the rate, the forecast,
spikes, today so far) are in `core.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass

from venice_tui.api.models import DailyTotal, KeyUsage, ModelUsage, Totals, UsageAnalytics


@dataclass(frozen=True, slots=True)
class Insights:
    total: Totals
    busiest: DailyTotal | None
    top_models: tuple[ModelUsage, ...]
    top_keys: tuple[KeyUsage, ...]


def compute(data: UsageAnalytics) -> Insights:
    rows = data.daily
    busiest = max(rows, key=lambda r: r.spend) if rows and any(r.spend for r in rows) else None
    return Insights(
        total=Totals(data.totals.usd, data.totals.diem),
        busiest=busiest,
        top_models=tuple(sorted(data.models, key=lambda m: m.spend, reverse=True)[:3]),
        top_keys=tuple(sorted(data.keys, key=lambda k: k.spend, reverse=True)[:3]),
    )
