"""What the History screen asks of the ledger: the order of the rows a filter shows (ids only,
so a million rows scroll by paging), pages of rows by id, totals, hourly sums and cost per unit
per SKU, and all of these for one scope at once (`ledger_page`). Every query runs on a worker
thread; none loads the whole ledger."""

from __future__ import annotations

import sqlite3
from array import array
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

SortKey = Literal["time", "sku", "units", "charged", "currency"]
SORT_SQL: dict[SortKey, str] = {
    "time": "l.ts",
    "sku": "t.text",
    "units": "l.units",
    "charged": "-l.amount",
    "currency": "l.currency",
}
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class LedgerView:
    """Which rows, in which order: a text in the SKU or request id, a time window [start, end)
    in ms, a sort column."""

    text: str = ""
    start: int | None = None
    end: int | None = None
    sort: SortKey = "time"
    descending: bool = True

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.start is not None:
            clauses.append("l.ts >= ?")
            params.append(self.start)
        if self.end is not None:
            clauses.append("l.ts < ?")
            params.append(self.end)
        if self.text:
            pattern = (
                "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            clauses.append("(t.text LIKE ? ESCAPE '\\' OR l.request_id LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True, slots=True)
class LedgerLine:
    id: int
    ts: int
    sku: str
    currency: str
    charged: float
    units: float
    price: float | None
    request_id: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    exec_ms: int | None


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    rows: int
    usd: float
    diem: float
    credits: float
    first_ts: int | None
    last_ts: int | None


@dataclass(frozen=True, slots=True)
class SkuCost:
    """What one SKU cost in one currency: a SKU paid partly in DIEM and partly in USD is two."""

    sku: str
    currency: str
    units: float
    charged: float

    @property
    def per_unit(self) -> float | None:
        return self.charged / self.units if self.units else None


_FROM = " FROM ledger l JOIN ledger_text t ON t.id = l.sku"


def ordered_ids(db: sqlite3.Connection, view: LedgerView) -> array[int]:
    """The ids of the rows the view shows, in its order (8 bytes a row)."""
    where, params = view.where()
    direction = "DESC" if view.descending else "ASC"
    sql = f"SELECT l.id{_FROM}{where} ORDER BY {SORT_SQL[view.sort]} {direction}, l.id {direction}"
    if view.sort == "time" and not view.text:
        sql = sql.replace(_FROM, " FROM ledger l")  # the time index alone answers it
    ids: array[int] = array("q")
    cursor = db.execute(sql, params)
    while batch := cursor.fetchmany(50_000):
        ids.extend(row[0] for row in batch)
    return ids


def lines(db: sqlite3.Connection, ids: list[int]) -> dict[int, LedgerLine]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        row[0]: LedgerLine(row[0], row[1], row[2], row[3], -row[4], *row[5:])
        for row in db.execute(
            "SELECT l.id, l.ts, t.text, l.currency, l.amount, l.units, l.price, l.request_id, "
            f"l.prompt_tokens, l.completion_tokens, l.exec_ms{_FROM} WHERE l.id IN ({marks})",
            ids,
        )
    }


def totals(db: sqlite3.Connection, view: LedgerView) -> LedgerTotals:
    where, params = view.where()
    source = _FROM if view.text else " FROM ledger l"
    row = db.execute(
        "SELECT COUNT(*), "
        "-TOTAL(CASE WHEN l.currency = 'USD' THEN l.amount END), "
        "-TOTAL(CASE WHEN l.currency = 'DIEM' THEN l.amount END), "
        "-TOTAL(CASE WHEN l.currency NOT IN ('USD', 'DIEM') THEN l.amount END), "
        f"MIN(l.ts), MAX(l.ts){source}{where}",
        params,
    ).fetchone()
    return LedgerTotals(int(row[0]), row[1], row[2], row[3], row[4], row[5])


def hourly(
    db: sqlite3.Connection, view: LedgerView, start: int, hours: int = 24
) -> list[tuple[float, float]]:
    """(USD-like, DIEM) charged in each hour from `start` (the view's text filter applies)."""
    scoped = LedgerView(view.text, start, start + hours * HOUR_MS)
    where, params = scoped.where()
    sums = [[0.0, 0.0] for _ in range(hours)]
    source = _FROM if view.text else " FROM ledger l"
    for slot, currency, charged in db.execute(
        f"SELECT (l.ts - ?) / {HOUR_MS}, l.currency, -TOTAL(l.amount){source}{where} "
        f"GROUP BY (l.ts - ?) / {HOUR_MS}, l.currency",
        [start, *params, start],
    ):
        if 0 <= slot < hours:
            sums[int(slot)][1 if currency == "DIEM" else 0] += charged
    return [(usd, diem) for usd, diem in sums]


def cost_per_sku(db: sqlite3.Connection, view: LedgerView, limit: int = 12) -> list[SkuCost]:
    """Per SKU and currency, never summed across currencies; the largest amounts first."""
    where, params = view.where()
    return [
        SkuCost(sku, currency, units, charged)
        for sku, currency, units, charged in db.execute(
            f"SELECT t.text, l.currency, TOTAL(l.units), -TOTAL(l.amount){_FROM}{where} "
            "GROUP BY l.sku, l.currency ORDER BY -TOTAL(l.amount) DESC, t.text, l.currency "
            "LIMIT ?",
            [*params, limit],
        )
    ]


@dataclass(frozen=True, slots=True)
class LedgerScope:
    """The time History shows: the last 24 hours up to the latest row, one UTC day, or one hour
    (0-23) of that day."""

    day: date | None = None
    hour: int | None = None

    def window(self, latest: int) -> tuple[int, int]:
        """[start, end) in ms; `latest` (the last row's stamp) ends the last 24 hours."""
        if self.day is None:
            end = (latest // HOUR_MS + 1) * HOUR_MS
            return end - DAY_MS, end
        start = int(datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC).timestamp())
        start *= 1000
        if self.hour is not None:
            return start + self.hour * HOUR_MS, start + (self.hour + 1) * HOUR_MS
        return start, start + DAY_MS

    def chart_start(self, start: int) -> int:
        """Where the hourly chart starts: the window's start, or its day's for one hour."""
        return start if self.hour is None else start - self.hour * HOUR_MS


@dataclass(frozen=True, slots=True)
class LedgerPage:
    """What History shows of the ledger for one scope and view, read in one go (so the rows and
    the totals agree even while a sync writes)."""

    scope: LedgerScope
    #: The view asked for, with the scope's window.
    view: LedgerView
    #: The ids of the rows shown, in the view's order (made once, never changed in place).
    ids: array[int]
    #: The whole ledger, and what the view shows.
    every: LedgerTotals
    shown: LedgerTotals
    #: (USD-like, DIEM) per hour of the chart (the filter applies, the hour scope does not).
    hours: tuple[tuple[float, float], ...]
    skus: tuple[SkuCost, ...]


def ledger_page(
    db: sqlite3.Connection, scope: LedgerScope, view: LedgerView, now_ms: int
) -> LedgerPage:
    """The page of `scope` under `view`'s filter and sort; `now_ms` ends the last 24 hours of a
    ledger without rows."""
    every = totals(db, LedgerView())
    start, end = scope.window(every.last_ts or now_ms)
    scoped = replace(view, start=start, end=end)
    return LedgerPage(
        scope=scope,
        view=scoped,
        ids=ordered_ids(db, scoped),
        every=every,
        shown=totals(db, scoped),
        hours=tuple(hourly(db, view, scope.chart_start(start))),
        skus=tuple(cost_per_sku(db, scoped)),
    )
