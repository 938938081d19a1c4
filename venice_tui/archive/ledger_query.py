"""What the History screen asks of the ledger: the order of the rows a filter shows (ids only,
so a million rows scroll by paging), pages of rows by id, totals, hourly sums and cost per unit
per SKU, and all of these for one scope at once (`ledger_page`). Every query runs on a worker
thread; none loads the whole ledger."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
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
            match, more = text_match(self.text)
            clauses.append(match)
            params += more
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def like_pattern(text: str) -> str:
    """`text` anywhere, for LIKE ... ESCAPE '\\': `%` `_` `\\` stand for themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def text_match(text: str) -> tuple[str, list[object]]:
    """Rows whose SKU or request id holds `text` (any case, `%` `_` `\\` as themselves). The
    SKU names are matched in the small text dictionary, not once per row."""
    pattern = like_pattern(text)
    return (
        "(l.sku IN (SELECT id FROM ledger_text WHERE text LIKE ? ESCAPE '\\') "
        "OR l.request_id LIKE ? ESCAPE '\\')",
        [pattern, pattern],
    )


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
    source = _FROM if view.sort == "sku" else " FROM ledger l"  # the SKU's name sorts
    order = f"{SORT_SQL[view.sort]} {direction}, l.id {direction}"
    sql = f"SELECT l.id{source}{where} ORDER BY {order}"
    # Row by row: each row's tuple is freed before the next is made, so a day of rows leaves
    # nothing for the garbage collector to walk (a batch of them kept alive was walked over and
    # over, on a thread but holding the interpreter the event loop waits for).
    return array("q", (row[0] for row in db.execute(sql, params)))


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
    #: The first rows, in order: the screen shows them with no second query.
    head: tuple[LedgerLine, ...] = ()


def ledger_page(
    db: sqlite3.Connection,
    scope: LedgerScope,
    view: LedgerView,
    now_ms: int,
    previous: LedgerPage | None = None,
    head: int = 100,
) -> LedgerPage:
    """The page of `scope` under `view`'s filter and sort; `now_ms` ends the last 24 hours of a
    ledger without rows. All of it from one snapshot of the archive (a sync may be writing).
    The figures of `previous` are kept when only the sort changed and the ledger did not;
    the first `head` rows come with the page."""
    with _snapshot(db):
        every = _every(db)
        start, end = scope.window(every.last_ts or now_ms)
        scoped = replace(view, start=start, end=end)
        ids = ordered_ids(db, scoped)
        found = lines(db, list(ids[:head]))
        first = tuple(found[i] for i in ids[:head] if i in found)
        if (
            previous is not None
            and previous.every == every
            and previous.scope == scope
            and previous.view.text == view.text
            and (previous.view.start, previous.view.end) == (start, end)
        ):
            return replace(previous, view=scoped, ids=ids, head=first)
        figures = _Figures(db, view.text, scope.chart_start(start), start, end, len(ids))
        return LedgerPage(
            scope=scope,
            view=scoped,
            ids=ids,
            every=every,
            shown=figures.totals(),
            hours=figures.hours(),
            skus=figures.skus(db),
            head=first,
        )


@contextmanager
def _snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every query inside sees the same rows."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.in_transaction:
            db.execute("COMMIT")


def _every(db: sqlite3.Connection) -> LedgerTotals:
    """The whole ledger's totals, from its sums per currency (never a scan of the rows)."""
    count, sums = 0, {"USD": 0.0, "DIEM": 0.0, "": 0.0}
    for currency, rows, amount in db.execute("SELECT currency, rows, amount FROM ledger_sum"):
        count += rows
        sums[currency if currency in ("USD", "DIEM") else ""] -= amount
    (first,) = db.execute("SELECT MIN(ts) FROM ledger").fetchone()
    (last,) = db.execute("SELECT MAX(ts) FROM ledger").fetchone()
    return LedgerTotals(count, sums["USD"], sums["DIEM"], sums[""], first, last)


Group = tuple[int, int, str, int, float, float]
"""(hour, sku id, currency, rows, amount, units)"""


class _Figures:
    """Rows, amounts and units per hour, SKU and currency over the chart's 24 hours (which hold
    the window [start, end)), from the hourly sums. Under a text filter, the SKUs whose name
    holds it come from the hourly sums too; the rows whose request id holds it (under another
    SKU) are read one by one, or, when they are most of the window's (`matched` of them: a
    piece most ids share), the rows the filter leaves out are read instead and taken from the
    hourly sums of every row. The totals, the chart and cost per SKU add these up."""

    def __init__(
        self, db: sqlite3.Connection, text: str, chart: int, start: int, end: int, matched: int
    ):
        self._chart, self._start, self._end = chart, start, end
        chart_end = chart + 24 * HOUR_MS
        if not chart % HOUR_MS == start % HOUR_MS == end % HOUR_MS == 0:
            raise ValueError("History's windows are whole hours")
        pattern = like_pattern(text)
        skus = "SELECT id FROM ledger_text WHERE text LIKE ? ESCAPE '\\'"
        hours = [chart // HOUR_MS, chart_end // HOUR_MS]
        every = "SELECT hour, sku, currency, rows, amount, units FROM ledger_hour WHERE hour >= ? AND hour < ?"
        if not text:
            self._groups: list[Group] = db.execute(every, hours).fetchall()
        elif 2 * matched > _rows_within(db, start, end):
            left_out = db.execute(
                f"SELECT l.ts / {HOUR_MS}, l.sku, l.currency, COUNT(*), TOTAL(l.amount), "
                "TOTAL(l.units) FROM ledger l WHERE l.ts >= ? AND l.ts < ? "
                f"AND NOT (l.sku IN ({skus}) OR IFNULL(l.request_id, '') LIKE ? ESCAPE '\\') "
                "GROUP BY 1, 2, 3",
                [chart, chart_end, pattern, pattern],
            ).fetchall()
            self._groups = _less(db.execute(every, hours).fetchall(), left_out)
        else:
            self._groups = db.execute(f"{every} AND sku IN ({skus})", [*hours, pattern]).fetchall()
            self._groups += db.execute(
                f"SELECT l.ts / {HOUR_MS}, l.sku, l.currency, COUNT(*), TOTAL(l.amount), "
                "TOTAL(l.units) FROM ledger l WHERE l.ts >= ? AND l.ts < ? "
                f"AND l.request_id LIKE ? ESCAPE '\\' AND l.sku NOT IN ({skus}) "
                "GROUP BY 1, 2, 3",
                [chart, chart_end, pattern, pattern],
            ).fetchall()
        where, params = LedgerView(text, start, end).where()
        (self._first,) = db.execute(f"SELECT MIN(l.ts) FROM ledger l{where}", params).fetchone()
        (self._last,) = db.execute(f"SELECT MAX(l.ts) FROM ledger l{where}", params).fetchone()

    def _shown(self) -> list[tuple[int, int, str, int, float, float]]:
        first, end = self._start // HOUR_MS, -(-self._end // HOUR_MS)
        return [g for g in self._groups if first <= g[0] < end]

    def totals(self) -> LedgerTotals:
        count, sums = 0, {"USD": 0.0, "DIEM": 0.0, "": 0.0}
        for _, _, currency, rows, amount, _ in self._shown():
            count += rows
            sums[currency if currency in ("USD", "DIEM") else ""] -= amount
        return LedgerTotals(count, sums["USD"], sums["DIEM"], sums[""], self._first, self._last)

    def hours(self) -> tuple[tuple[float, float], ...]:
        sums = [[0.0, 0.0] for _ in range(24)]
        for hour, _, currency, _, amount, _ in self._groups:
            slot = hour - self._chart // HOUR_MS
            if 0 <= slot < 24:
                sums[slot][1 if currency == "DIEM" else 0] -= amount
        return tuple((usd, diem) for usd, diem in sums)

    def skus(self, db: sqlite3.Connection, limit: int = 12) -> tuple[SkuCost, ...]:
        per: dict[tuple[int, str], list[float]] = {}
        for _, sku, currency, _, amount, units in self._shown():
            pair = per.setdefault((sku, currency), [0.0, 0.0])
            pair[0] += units
            pair[1] -= amount
        if not per:
            return ()
        ids = sorted({sku for sku, _ in per})
        marks = ",".join("?" * len(ids))
        names = dict(db.execute(f"SELECT id, text FROM ledger_text WHERE id IN ({marks})", ids))
        costs = [
            SkuCost(names[sku], cur, units, charged) for (sku, cur), (units, charged) in per.items()
        ]
        costs.sort(key=lambda c: (-c.charged, c.sku, c.currency))
        return tuple(costs[:limit])


def _rows_within(db: sqlite3.Connection, start: int, end: int) -> int:
    (rows,) = db.execute(
        "SELECT TOTAL(rows) FROM ledger_hour WHERE hour >= ? AND hour < ?",
        [start // HOUR_MS, -(-end // HOUR_MS)],
    ).fetchone()
    return int(rows)


def _less(every: list[Group], left_out: list[Group]) -> list[Group]:
    """The hourly sums of every row less those of the rows left out (a group all of whose
    rows are left out is gone)."""
    out = {
        (hour, sku, currency): (rows, amount, units)
        for hour, sku, currency, rows, amount, units in left_out
    }
    kept: list[Group] = []
    for hour, sku, currency, rows, amount, units in every:
        less = out.get((hour, sku, currency))
        if less is None:
            kept.append((hour, sku, currency, rows, amount, units))
        elif rows > less[0]:
            kept.append((hour, sku, currency, rows - less[0], amount - less[1], units - less[2]))
    return kept
