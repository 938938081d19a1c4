"""The ledger against usage-analytics: for each whole UTC day both hold, the ledger's debits
(USD and bundled credits; DIEM) against the daily totals. A difference beyond rounding is
reported: a wrong number a person acts on is the worst bug this tool can have."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from venice_tui.archive import ledger
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError

#: Differences up to this much (absolute, or relative to the day) are rounding.
ABSOLUTE_TOLERANCE = 0.01
RELATIVE_TOLERANCE = 0.001


@dataclass(frozen=True, slots=True)
class DayCheck:
    day: date
    ledger_usd: float
    ledger_diem: float
    usage_usd: float
    usage_diem: float

    @property
    def usd_gap(self) -> float:
        return self.ledger_usd - self.usage_usd

    @property
    def diem_gap(self) -> float:
        return self.ledger_diem - self.usage_diem

    @property
    def matches(self) -> bool:
        return _close(self.ledger_usd, self.usage_usd) and _close(self.ledger_diem, self.usage_diem)

    def describe(self) -> str:
        return (
            f"{self.day:%Y-%m-%d}: the ledger has ${self.ledger_usd:,.2f} + "
            f"{self.ledger_diem:,.2f} DIEM, usage-analytics ${self.usage_usd:,.2f} + "
            f"{self.usage_diem:,.2f} DIEM (off by ${self.usd_gap:+,.2f}, "
            f"{self.diem_gap:+,.2f} DIEM)"
        )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(a), abs(b)))


def reconcile(db: sqlite3.Connection, today: date) -> list[DayCheck]:
    """Every whole day the ledger covers and usage-analytics answered after it was over."""
    covered = ledger.covered_days(ledger.get_state(db))
    if covered is None:
        return []
    first, last = covered
    last = min(last, today - timedelta(days=1))
    if first > last:
        return []
    sums = ledger.daily_sums(db, first, last)
    checks = []
    for day_text, usd, diem, fetched_at in db.execute(
        "SELECT day, usd, diem, fetched_at FROM usage_day WHERE day BETWEEN ? AND ? ORDER BY day",
        (first.isoformat(), last.isoformat()),
    ):
        day = date.fromisoformat(day_text)
        if fetched_at[:10] <= day_text:  # answered while the day was still running
            continue
        ledger_usd, ledger_diem = sums.get(day, (0.0, 0.0))
        checks.append(DayCheck(day, ledger_usd, ledger_diem, usd, diem))
    return checks


def reconcile_archive(archive: Archive, today: date) -> list[DayCheck]:
    try:
        return archive.run(lambda db: reconcile(db, today))
    except ArchiveError:
        return []


def describe_checks(checks: list[DayCheck]) -> str:
    """One line when everything matches; otherwise a line per day that does not."""
    wrong = [c for c in checks if not c.matches]
    if not wrong:
        return f"reconciled: the ledger matches usage-analytics on all {len(checks)} days both hold"
    lines = [
        f"MISMATCH on {len(wrong)} of {len(checks)} days between the ledger and usage-analytics:"
    ]
    lines += [f"  {check.describe()}" for check in wrong]
    return "\n".join(lines)
