"""The ledger in the archive: rows stored once (a fingerprint of what the row says), the walk's
state beside them, and the queries the History screen and reconciliation need."""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from venice_tui.archive.db import rollback

if TYPE_CHECKING:
    from venice_tui.api.ledger import LedgerEntry


#: The walk's state (table `ledger_sync`).
CURSOR = "cursor"
#: Where the current walk started (ms): rows from there on are complete once it ends.
WALK_FROM = "walk_from"
#: What the completed walks cover, [from, to) in ms: the days inside are whole in the archive.
COVERED_FROM = "covered_from"
COVERED_TO = "covered_to"
#: USD and what Venice counts as USD in usage-analytics (bundled credits, not earned ones).
USD_LIKE = ("USD", "BUNDLED_CREDITS")


def fingerprint(entry: LedgerEntry) -> int:
    """A signed 64-bit id of the row's content: the same row sent twice is stored once."""
    text = (
        f"{entry.ts}|{entry.sku}|{entry.currency}|{entry.amount!r}|{entry.units!r}|"
        f"{entry.request_id or ''}"
    )
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    value: int = struct.unpack("<q", digest)[0]
    return value


class TextIds:
    """Ids of repeated texts (SKUs, notes), remembered for the connection's life.

    The memory follows the transaction: ids learnt inside one are kept only if it commits
    (`commit`), and forgotten if it is rolled back (`rollback`); otherwise an id the database
    never kept would later be handed to another text, and rows stored under the wrong SKU.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._pending: dict[str, int] = {}

    def id_of(self, db: sqlite3.Connection, text: str) -> int:
        found = self._ids.get(text)
        if found is None:
            found = self._pending.get(text)
        if found is None:
            db.execute("INSERT OR IGNORE INTO ledger_text (text) VALUES (?)", (text,))
            (found,) = db.execute("SELECT id FROM ledger_text WHERE text = ?", (text,)).fetchone()
            self._pending[text] = found
        return found

    def commit(self) -> None:
        self._ids.update(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


def store_page(
    db: sqlite3.Connection,
    texts: TextIds,
    entries: Iterable[LedgerEntry],
    state: dict[str, str | None],
) -> int:
    """Insert a page's rows and the walk's new state in one transaction (a walk killed
    half-way resumes from the last page stored); the rows that were new."""
    db.execute("BEGIN IMMEDIATE")
    try:
        inserted = db.executemany(
            "INSERT OR IGNORE INTO ledger (ts, sku, currency, amount, units, price, notes, "
            "request_id, prompt_tokens, completion_tokens, exec_ms, fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.ts,
                    texts.id_of(db, e.sku),
                    e.currency,
                    e.amount,
                    e.units,
                    e.price,
                    texts.id_of(db, e.notes) if e.notes else None,
                    e.request_id,
                    e.prompt_tokens,
                    e.completion_tokens,
                    e.exec_ms,
                    fingerprint(e),
                )
                for e in entries
            ],
        )
        added = max(0, inserted.rowcount)
        set_state(db, state)
        db.execute("COMMIT")
    except BaseException:
        texts.rollback()
        rollback(db)
        raise
    texts.commit()
    return added


def set_state(db: sqlite3.Connection, state: dict[str, str | None]) -> None:
    for name, value in state.items():
        if value is None:
            db.execute("DELETE FROM ledger_sync WHERE name = ?", (name,))
        else:
            db.execute("INSERT OR REPLACE INTO ledger_sync VALUES (?, ?)", (name, value))


def get_state(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT name, value FROM ledger_sync").fetchall())


def last_ts(db: sqlite3.Connection, before: int | None = None) -> int | None:
    """The last row's stamp (ms); with `before`, the last not stamped after it (a row dated in
    the far future, stored by an older version, is never where a walk starts)."""
    if before is None:
        (value,) = db.execute("SELECT MAX(ts) FROM ledger").fetchone()
    else:
        (value,) = db.execute("SELECT MAX(ts) FROM ledger WHERE ts <= ?", (before,)).fetchone()
    return int(value) if value is not None else None


def row_count(db: sqlite3.Connection) -> int:
    """From the sums per currency the rows' own transaction keeps (not a count of a million)."""
    (value,) = db.execute("SELECT TOTAL(rows) FROM ledger_sum").fetchone()
    return int(value)


def covered_days(state: dict[str, str]) -> tuple[date, date] | None:
    """The first and last whole UTC days the completed walks cover, if any."""
    try:
        start, end = int(state[COVERED_FROM]), int(state[COVERED_TO])
    except (KeyError, ValueError):
        return None
    first = datetime.fromtimestamp(start / 1000, UTC)
    last = datetime.fromtimestamp(end / 1000, UTC)
    first_day = first.date() if first.time() == datetime.min.time() else _next(first.date())
    last_day = _previous(last.date())  # the day `end` falls in is not over
    return (first_day, last_day) if first_day <= last_day else None


def daily_sums(db: sqlite3.Connection, first: date, last: date) -> dict[date, tuple[float, float]]:
    """(USD-like, DIEM) charged per UTC day between two days, from the ledger."""
    start = _day_ms(first)
    end = _day_ms(_next(last))
    sums: dict[date, list[float]] = {}
    for day_index, currency, charged in db.execute(
        "SELECT ts / 86400000, currency, -SUM(amount) FROM ledger "
        "WHERE ts >= ? AND ts < ? GROUP BY ts / 86400000, currency",
        (start, end),
    ):
        day = date.fromordinal(date(1970, 1, 1).toordinal() + int(day_index))
        pair = sums.setdefault(day, [0.0, 0.0])
        if currency in USD_LIKE:
            pair[0] += charged
        elif currency == "DIEM":
            pair[1] += charged
    return {day: (usd, diem) for day, (usd, diem) in sums.items()}


def sums_between(db: sqlite3.Connection, start: int, end: int) -> tuple[float, float] | None:
    """(USD-like, DIEM) charged in [start, end) ms, or None when the completed walks do not
    cover all of it (a sum of part of the window would be a wrong number, not a small one)."""
    state = get_state(db)
    try:
        covered = int(state[COVERED_FROM]), int(state[COVERED_TO])
    except (KeyError, ValueError):
        return None
    if start < covered[0] or end > covered[1]:
        return None
    usd = diem = 0.0
    for currency, charged in db.execute(
        "SELECT currency, -SUM(amount) FROM ledger WHERE ts >= ? AND ts < ? GROUP BY currency",
        (start, end),
    ):
        if currency in USD_LIKE:
            usd += charged
        elif currency == "DIEM":
            diem += charged
    return usd, diem


def _day_ms(day: date) -> int:
    return (day.toordinal() - date(1970, 1, 1).toordinal()) * 86_400_000


def _next(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _previous(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)
