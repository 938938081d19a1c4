"""Usage answers folded into the archive, and read back: days, series, one-day models and keys,
and the whole answers of month-aligned chunks for long periods."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.archive.db import rollback


@dataclass(frozen=True, slots=True)
class ArchivedDay:
    day: date
    usd: float
    diem: float
    fetched_at: datetime

    @property
    def settled(self) -> bool:
        """Fetched after the day was over and a day more: Venice no longer revises it."""
        return is_settled(self.day, self.fetched_at)


def is_settled(last_day: date, fetched_at: datetime) -> bool:
    return fetched_at.date() >= last_day + timedelta(days=2)


def fold(db: sqlite3.Connection, analytics: UsageAnalytics, fetched_at: datetime) -> int:
    """Store the answer's days (and its series, and for a one-day answer its models and keys),
    each replacing what an older answer said about that day. The days written."""
    stamp = fetched_at.isoformat()
    db.execute("BEGIN IMMEDIATE")
    try:
        newer = (
            {
                row[0]
                for row in db.execute(
                    "SELECT day FROM usage_day WHERE day BETWEEN ? AND ? AND fetched_at > ?",
                    (
                        analytics.daily[0].day.isoformat(),
                        analytics.daily[-1].day.isoformat(),
                        stamp,
                    ),
                )
            }
            if analytics.daily
            else set()
        )
        days = [d for d in analytics.daily if d.day.isoformat() not in newer]
        for day in days:
            iso = day.day.isoformat()
            db.execute(
                "INSERT OR REPLACE INTO usage_day VALUES (?, ?, ?, ?)",
                (iso, day.usd, day.diem, stamp),
            )
            db.execute("DELETE FROM usage_series WHERE day = ?", (iso,))
        written = {d.day for d in days}
        for kind, series in (("model", analytics.model_series), ("key", analytics.key_series)):
            for slot, when in enumerate(series.days):
                if when not in written:
                    continue
                db.executemany(
                    "INSERT OR REPLACE INTO usage_series VALUES (?, ?, ?, ?, ?)",
                    [
                        (
                            when.isoformat(),
                            kind,
                            name,
                            series.combined[name][slot],
                            series.usd[name][slot] if series.usd is not None else None,
                        )
                        for name in series.names
                    ],
                )
        if len(analytics.daily) == 1 and written:
            _fold_one_day(db, analytics)
        db.execute("COMMIT")
    except BaseException:
        rollback(db)
        raise
    return len(written)


def _fold_one_day(db: sqlite3.Connection, analytics: UsageAnalytics) -> None:
    iso = analytics.daily[0].day.isoformat()
    db.execute("DELETE FROM usage_model_day WHERE day = ?", (iso,))
    db.execute("DELETE FROM usage_key_day WHERE day = ?", (iso,))
    db.executemany(
        "INSERT OR REPLACE INTO usage_model_day VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (iso, m.name, m.unit_type, m.model_type, m.usd, m.diem, m.units)
            for m in analytics.models
        ],
    )
    db.executemany(
        "INSERT OR REPLACE INTO usage_key_day VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(iso, k.row_key, k.key_id, k.description, k.usd, k.diem, k.units) for k in analytics.keys],
    )


def days(db: sqlite3.Connection, first: date, last: date) -> dict[date, ArchivedDay]:
    return {
        date.fromisoformat(day): ArchivedDay(
            date.fromisoformat(day), usd, diem, datetime.fromisoformat(at)
        )
        for day, usd, diem, at in db.execute(
            "SELECT day, usd, diem, fetched_at FROM usage_day WHERE day BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
    }


def save_chunk(db: sqlite3.Connection, chunk: Period, body: bytes, fetched_at: datetime) -> None:
    assert chunk.start is not None and chunk.end is not None
    db.execute(
        "INSERT OR REPLACE INTO usage_chunk VALUES (?, ?, ?, ?)",
        (
            chunk.start.isoformat(),
            chunk.end.isoformat(),
            fetched_at.isoformat(),
            zlib.compress(body),
        ),
    )


def load_chunk(db: sqlite3.Connection, chunk: Period) -> tuple[bytes, datetime] | None:
    assert chunk.start is not None and chunk.end is not None
    row = db.execute(
        "SELECT body, fetched_at FROM usage_chunk WHERE start = ? AND end = ?",
        (chunk.start.isoformat(), chunk.end.isoformat()),
    ).fetchone()
    if row is None:
        return None
    try:
        return zlib.decompress(row[0]), datetime.fromisoformat(row[1])
    except (zlib.error, ValueError):
        return None
