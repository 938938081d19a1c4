"""The decoded usage of one period: typed, immutable, with derived views computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from venice_tui.api.period import Period

WEB_APP_ROW_KEY = "web-app"


@dataclass(frozen=True, slots=True)
class DailyTotal:
    day: date
    usd: float
    diem: float

    @property
    def spend(self) -> float:
        return self.usd + self.diem


@dataclass(frozen=True, slots=True)
class BreakdownItem:
    type: str
    usd: float
    diem: float
    units: float


@dataclass(frozen=True, slots=True)
class ModelUsage:
    row_key: str
    name: str
    model_type: str | None
    unit_type: str
    usd: float
    diem: float
    units: float
    breakdown: tuple[BreakdownItem, ...] = ()

    @property
    def spend(self) -> float:
        return self.usd + self.diem


@dataclass(frozen=True, slots=True)
class KeyUsage:
    """One API key's usage. `key_id` is None for the Web App row; rows are keyed by `row_key`."""

    row_key: str
    key_id: str | None
    description: str
    usd: float
    diem: float
    units: float

    @property
    def spend(self) -> float:
        return self.usd + self.diem

    @property
    def is_web_app(self) -> bool:
        return self.key_id is None


@dataclass(frozen=True, slots=True)
class DailySeries:
    """Per-day values of the top models or keys, one row per day of the period (gap-filled).

    `combined` is USD + DIEM as the live service sends it. `usd` is present only when the service
    also sent the `*DailyUsd` arrays; then DIEM per series is `combined - usd`.
    """

    names: tuple[str, ...] = ()
    days: tuple[date, ...] = ()
    combined: dict[str, tuple[float, ...]] = field(default_factory=dict)
    usd: dict[str, tuple[float, ...]] | None = None

    @property
    def has_usd_split(self) -> bool:
        return self.usd is not None

    def diem(self, name: str) -> tuple[float, ...] | None:
        if self.usd is None:
            return None
        return tuple(
            max(c - u, 0.0) for c, u in zip(self.combined[name], self.usd[name], strict=True)
        )


@dataclass(frozen=True, slots=True)
class Totals:
    usd: float
    diem: float

    @property
    def spend(self) -> float:
        return self.usd + self.diem


@dataclass(frozen=True, slots=True)
class Stitching:
    """How a period longer than one request was put together (`api.stitch`)."""

    chunks: int
    #: Days whose numbers came from the local archive rather than a request just made.
    archived_days: int
    #: The chunks' top-series lists differ while some chunk folded the rest into "Other".
    series_differ: bool


@dataclass(frozen=True, slots=True)
class UsageAnalytics:
    period: Period
    #: What the server says it used, e.g. `90d` when it clamped a longer lookback.
    server_lookback: str
    daily: tuple[DailyTotal, ...]
    models: tuple[ModelUsage, ...]
    keys: tuple[KeyUsage, ...]
    model_series: DailySeries
    key_series: DailySeries
    totals: Totals
    #: Set when the period was fetched in chunks.
    stitching: Stitching | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.totals.usd == 0
            and self.totals.diem == 0
            and not any(m.units for m in self.models)
            and not any(k.units for k in self.keys)
        )
