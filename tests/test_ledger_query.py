"""History's queries over the archive: the page read from the hourly sums and the text
dictionary agrees, figure for figure and row for row, with the rows themselves (every filter:
short, with `%` `_` `\\`, a request id's middle, a piece most ids share, nothing; every sort
both ways with ties; a day, an hour, an empty day); the sums are built for an archive of
schema 1 and kept by every write; a sync writing while a page is read; a read that is no longer
wanted stops."""

from __future__ import annotations

import sqlite3
from array import array
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from venice_tui.api.ledger import LedgerEntry
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import MIGRATIONS, QueryStopped, connect
from venice_tui.archive.ledger_query import (
    HOUR_MS,
    LedgerScope,
    LedgerView,
    SortKey,
    cost_per_sku,
    hourly,
    ledger_page,
    totals,
)

DAY = date(2026, 11, 20)
DAY_START = int(datetime(2026, 11, 20, tzinfo=UTC).timestamp() * 1000)
#: Names that test the escaping: LIKE's wildcards and its escape character are plain text.
SKUS = ("kimi-k2-output", "glm_5%off", "back\\slash-sku", "qwen-3-input", "Kimi-Vision")
CURRENCIES = ("USD", "DIEM", "BUNDLED_CREDITS")


def entries(days: tuple[int, ...] = (0, 1, 3), per_day: int = 240) -> list[LedgerEntry]:
    """Rows on the given days after DAY (day 2 empty), with ties in every column. Amounts and
    units are multiples of 1/64: any order of summing gives the same float, so the sums can be
    compared exactly."""
    found = []
    for day in days:
        for n in range(per_day):
            ts = DAY_START + day * 24 * HOUR_MS + (n * 6 * 60_000) % (24 * HOUR_MS) + n % 7
            found.append(
                LedgerEntry(
                    ts=ts if n % 11 else ts - n % 7,  # some stamps repeat
                    sku=SKUS[n % len(SKUS)],
                    currency=CURRENCIES[n % 3 if n % 5 else 1],
                    amount=-((n % 9) + 1) / 64,
                    units=(n % 4) / 64,
                    price=None,
                    notes="API Inference",
                    request_id=None if n % 13 == 0 else f"req-{day}{n:04d}-7f3c-{n % 17:02x}",
                    prompt_tokens=n,
                    completion_tokens=None,
                    exec_ms=None,
                )
            )
    return found


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    made = Archive(tmp_path / "a.sqlite3")
    made.store_ledger_page(entries(), {})
    return made


def expected_ids(db: sqlite3.Connection, view: LedgerView) -> list[int]:
    """The view's rows in its order, worked out in Python from every row."""
    rows = db.execute(
        "SELECT l.id, l.ts, t.text, l.units, l.amount, l.currency, l.request_id "
        "FROM ledger l JOIN ledger_text t ON t.id = l.sku"
    ).fetchall()
    needle = view.text.lower()
    kept = [
        r
        for r in rows
        if (view.start is None or r[1] >= view.start)
        and (view.end is None or r[1] < view.end)
        and (needle in r[2].lower() or needle in (r[6] or "").lower())
    ]
    column = {"time": 1, "sku": 2, "units": 3, "charged": 4, "currency": 5}[view.sort]
    sign = -1 if view.sort == "charged" else 1  # charged is -amount
    kept.sort(key=lambda r: (sign * r[column], r[0]), reverse=view.descending)
    return [r[0] for r in kept]


def check_page(archive: Archive, scope: LedgerScope, view: LedgerView) -> int:
    """The page agrees with the rows; how many rows it shows."""
    now = DAY_START + 5 * 24 * HOUR_MS

    def both(db: sqlite3.Connection) -> int:
        page = ledger_page(db, scope, view, now)
        scoped = page.view
        assert page.every == totals(db, LedgerView())
        assert page.shown == totals(db, scoped)
        assert page.hours == tuple(hourly(db, view, scope.chart_start(scoped.start or 0)))
        assert page.skus == tuple(cost_per_sku(db, scoped))
        assert list(page.ids) == expected_ids(db, scoped)
        assert page.shown.rows == len(page.ids)
        return len(page.ids)

    return archive.read(both, lambda: True)


LAST_DAY = LedgerScope()
ONE_DAY = LedgerScope(DAY)
ONE_HOUR = LedgerScope(DAY, 7)


@pytest.mark.parametrize(
    "text",
    # "7f3c" and "k" are in most rows (the figures are then the rows left out, taken away)
    [
        "",
        "k",
        "ki",
        "KIMI",
        "%",
        "_",
        "\\",
        "5%",
        "o_5",
        "h-s",
        "7f3c-0a",
        "7f3c",
        "1017",
        "no-such",
    ],
)
@pytest.mark.parametrize("scope", [LAST_DAY, ONE_DAY, ONE_HOUR], ids=["24h", "day", "hour"])
def test_every_filter_agrees_with_the_rows(archive: Archive, text: str, scope: LedgerScope) -> None:
    shown = check_page(archive, scope, LedgerView(text))
    if text == "no-such":
        assert shown == 0
    elif text in ("", "k", "%", "_", "\\") and scope != ONE_HOUR:
        assert shown > 0


def test_wildcards_are_plain_text(archive: Archive) -> None:
    def skus(text: str) -> set[str]:
        page = archive.read(
            lambda db: ledger_page(db, ONE_DAY, LedgerView(text), DAY_START), lambda: True
        )
        return {s.sku for s in page.skus}

    assert skus("%") == {"glm_5%off"}
    assert skus("_") == {"glm_5%off"}
    assert skus("\\") == {"back\\slash-sku"}
    assert skus("kimi") == {"kimi-k2-output", "Kimi-Vision"}  # any case, as before


def test_a_request_id_matches_in_its_middle(archive: Archive) -> None:
    page = archive.read(
        lambda db: ledger_page(db, ONE_DAY, LedgerView("00017-7f3c"), DAY_START), lambda: True
    )
    assert len(page.ids) == 1 and page.shown.rows == 1


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", ["time", "sku", "units", "charged", "currency"])
@pytest.mark.parametrize("text", ["", "i"])
def test_every_sort_both_ways_with_ties(
    archive: Archive, sort: SortKey, descending: bool, text: str
) -> None:
    assert check_page(archive, ONE_DAY, LedgerView(text, sort=sort, descending=descending)) > 0


def test_an_empty_day_between_two_days(archive: Archive) -> None:
    empty = LedgerScope(date(2026, 11, 22))
    assert check_page(archive, empty, LedgerView()) == 0
    page = archive.read(lambda db: ledger_page(db, empty, LedgerView(), 0), lambda: True)
    assert page.skus == () and all(h == (0.0, 0.0) for h in page.hours)
    assert page.every.rows == 3 * 240
    assert check_page(archive, LedgerScope(date(2026, 11, 23)), LedgerView("kimi")) > 0


def test_a_sort_keeps_the_figures_and_a_new_row_renews_them(archive: Archive) -> None:
    def page_of(view: LedgerView, previous: object = None):  # type: ignore[no-untyped-def]
        return archive.read(
            lambda db: ledger_page(db, ONE_DAY, view, 0, previous),  # type: ignore[arg-type]
            lambda: True,
        )

    first = page_of(LedgerView("i"))
    resorted = page_of(LedgerView("i", sort="units"), first)
    assert resorted.skus is first.skus and resorted.ids != first.ids
    archive.store_ledger_page(entries(days=(0,), per_day=1)[:1], {})  # the same row: no change
    assert page_of(LedgerView("i"), first).skus is first.skus
    archive.store_ledger_page(entries(days=(0,), per_day=300)[250:], {})  # new rows that day
    renewed = page_of(LedgerView("i", sort="units"), first)
    assert renewed.shown.rows > first.shown.rows and renewed.skus is not first.skus
    check_page(archive, ONE_DAY, LedgerView("i", sort="units"))


def test_an_archive_of_schema_1_gets_its_sums_and_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](old)
    old.execute("PRAGMA user_version = 1")
    old.close()
    before = Archive(path)
    rows = entries()
    # Rows written the way schema 1 wrote them: straight into `ledger`, no sums.
    with sqlite3.connect(path) as raw:
        for n, e in enumerate(rows):
            raw.execute("INSERT OR IGNORE INTO ledger_text (text) VALUES (?)", (e.sku,))
            (sku,) = raw.execute("SELECT id FROM ledger_text WHERE text = ?", (e.sku,)).fetchone()
            raw.execute(
                "INSERT INTO ledger (ts, sku, currency, amount, units, request_id, fingerprint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (e.ts, sku, e.currency, e.amount, e.units, e.request_id, n),
            )
    db = connect(path)  # migrates to schema 2
    assert db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    db.close()
    assert before.ledger_count() == len(rows)  # counted from the sums the migration built
    for scope in (LAST_DAY, ONE_DAY, ONE_HOUR, LedgerScope(date(2026, 11, 23))):
        for text in ("", "kimi", "7f3c"):
            check_page(before, scope, LedgerView(text))
    before.store_ledger_page(entries(days=(4,), per_day=50), {})  # the trigger adds to the sums
    check_page(before, LAST_DAY, LedgerView())
    check_page(before, LAST_DAY, LedgerView("glm"))


def test_a_sync_writing_while_a_page_is_read(tmp_path: Path) -> None:
    """The page is read from one snapshot: rows written half-way through are in none of its
    figures, and in all of the next page's."""
    path = tmp_path / "a.sqlite3"
    reader, writer = Archive(path), Archive(path)
    writer.store_ledger_page(entries(days=(0,)), {})
    wrote: list[int] = []

    def write_midway(statement: str) -> None:
        if "SELECT l.id" in statement and not wrote:
            wrote.append(writer.store_ledger_page(entries(days=(0,), per_day=400)[240:], {}))

    def read(db: sqlite3.Connection):  # type: ignore[no-untyped-def]
        db.set_trace_callback(write_midway)
        try:
            return ledger_page(db, ONE_DAY, LedgerView(), 0)
        finally:
            db.set_trace_callback(None)

    page = reader.read(read, lambda: True)
    assert wrote == [160]
    assert page.every.rows == page.shown.rows == len(page.ids) == 240
    after = reader.read(read, lambda: True)
    assert after.every.rows == after.shown.rows == len(after.ids) == 400


@pytest.mark.parametrize("on_disk", [True, False])
def test_a_read_no_longer_wanted_stops_and_the_archive_reads_on(
    tmp_path: Path, on_disk: bool
) -> None:
    archive = Archive(tmp_path / "a.sqlite3") if on_disk else Archive.in_memory()
    archive.store_ledger_page(entries(days=(0, 1, 2, 3), per_day=1000), {})
    asked = 0

    def wanted() -> bool:
        nonlocal asked
        asked += 1
        return asked < 3  # wanted when it starts, not a few thousand steps later

    def scan(db: sqlite3.Connection) -> list[object]:
        return db.execute("SELECT * FROM ledger ORDER BY request_id, units").fetchall()

    with pytest.raises(QueryStopped):
        archive.read(scan, wanted)
    with pytest.raises(QueryStopped):
        archive.read(scan, lambda: False)  # not even started
    assert len(archive.read(scan, lambda: True)) == 4000
    page = archive.read(lambda db: ledger_page(db, ONE_DAY, LedgerView(), 0), lambda: True)
    assert page.shown.rows == 1000
    assert archive.ledger_count() == 4000  # the writing connection was never stopped


def test_ids_are_made_once(archive: Archive) -> None:
    page = archive.read(lambda db: ledger_page(db, ONE_DAY, LedgerView(), 0), lambda: True)
    assert isinstance(page.ids, array) and page.ids.typecode == "q"
