"""The local archive: idempotent fold-in, migrations, and long periods fetched in chunks
through the real client (a chunk failing in the middle, a second run served from the archive)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.harness import FIXED_NOW
from tests.payloads import encode
from venice_tui.api.decoder import decode_usage
from venice_tui.api.models import DailySeries
from venice_tui.api.period import Period
from venice_tui.api.stitch import stitch
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import SCHEMA_VERSION, ArchiveError, connect
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.store import Source, UsageStore
from venice_tui.demo.connection import demo_client
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DemoTransport

TODAY = FIXED_NOW.date()


def answer(period: Period, now: datetime = FIXED_NOW) -> tuple[object, bytes]:
    days = period.days(now.date())
    body = encode(DemoAccount().analytics(days, now, period.label))
    return decode_usage(body, period, now.date()), body


def test_folding_the_same_answer_twice_stores_each_day_once(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.sqlite3")
    week, _ = answer(Period.lookback(7))
    assert archive.fold(week, FIXED_NOW) == 7  # type: ignore[arg-type]
    assert archive.fold(week, FIXED_NOW) == 7  # type: ignore[arg-type]
    days = archive.days(TODAY - timedelta(days=30), TODAY)
    assert len(days) == 7
    assert archive.run(lambda db: db.execute("SELECT COUNT(*) FROM usage_day").fetchone()) == (7,)
    series = archive.run(
        lambda db: db.execute("SELECT COUNT(DISTINCT day) FROM usage_series").fetchone()
    )
    assert series == (7,)


def test_a_later_answer_replaces_a_day_and_an_older_one_does_not(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.sqlite3")
    day, _ = answer(Period.lookback(1))
    early = replace(day, daily=(replace(day.daily[0], usd=1.0),))  # type: ignore[type-var]
    late = replace(day, daily=(replace(day.daily[0], usd=2.0),))  # type: ignore[type-var]
    archive.fold(early, FIXED_NOW)
    archive.fold(late, FIXED_NOW + timedelta(minutes=10))
    archive.fold(early, FIXED_NOW + timedelta(minutes=5))  # an old answer read from disk
    stored = archive.days(TODAY, TODAY)[TODAY]
    assert stored.usd == 2.0 and stored.fetched_at == FIXED_NOW + timedelta(minutes=10)
    assert not stored.settled  # today: Venice still revises it
    models = archive.run(lambda db: db.execute("SELECT COUNT(*) FROM usage_model_day").fetchone())
    assert models[0] == len(day.models)  # type: ignore[attr-defined]


def test_a_new_archive_is_at_the_current_schema_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "a.sqlite3"
    db = connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
    assert connect(path).execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_an_archive_from_a_newer_version_or_not_sqlite_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError, match="newer venice-tui"):
        connect(newer)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ArchiveError):
        Archive(junk).days(TODAY, TODAY)


def test_stitching_sums_models_and_flags_series_that_differ_between_chunks() -> None:
    july, _ = answer(Period.between(date(2026, 7, 1), date(2026, 7, 31)))
    august, _ = answer(Period.between(date(2026, 8, 1), date(2026, 8, 31)))
    both = stitch(Period.between(date(2026, 7, 1), date(2026, 8, 31)), [july, august])  # type: ignore[list-item]
    assert len(both.daily) == 62 and both.stitching is not None
    assert not both.stitching.series_differ  # the same dozen models, no "Other"
    glm = {m.name: m for m in both.models}["GLM 5.1"]
    parts = [{m.name: m for m in a.models}["GLM 5.1"] for a in (july, august)]  # type: ignore[attr-defined]
    assert glm.usd == pytest.approx(parts[0].usd + parts[1].usd)
    assert len(both.model_series.combined["GLM 5.1"]) == 62
    other = replace(
        august,  # type: ignore[type-var]
        model_series=DailySeries(
            ("GLM 5.1", "Other"),
            august.model_series.days,  # type: ignore[attr-defined]
            {
                "GLM 5.1": august.model_series.combined["GLM 5.1"],  # type: ignore[attr-defined]
                "Other": august.model_series.combined["DeepSeek V3.2"],  # type: ignore[attr-defined]
            },
        ),
    )
    assert stitch(both.period, [july, other]).stitching.series_differ  # type: ignore[union-attr, list-item]


class FailingMonth(DemoTransport):
    """The demo, except that one month's usage answers 500 while `failing` is set."""

    def __init__(self, responder: DemoResponder, month_start: str) -> None:
        super().__init__(responder)
        self.month_start, self.failing = month_start, True
        self.usage_requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/usage-analytics"):
            start = request.url.params.get("startDate", request.url.params.get("lookback", ""))
            self.usage_requests.append(start)
            if self.failing and start == self.month_start:
                return httpx.Response(500, json={"error": "Internal server error"})
        return await super().handle_async_request(request)


async def test_a_long_period_survives_a_failed_month_and_then_comes_mostly_from_the_archive(
    tmp_path: Path,
) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    transport = FailingMonth(responder, "2026-03-01")
    client = demo_client(today=lambda: TODAY, transport=transport)
    archive = Archive(tmp_path / "a.sqlite3")
    fetchers = AccountFetcher(client, None, lambda: FIXED_NOW, archive)
    year = Period.between(date(2026, 1, 1), TODAY)
    store = UsageStore(fetchers, year, Source.LIVE, clock=lambda: FIXED_NOW)
    progress: list[str | None] = []
    store.subscribe(lambda: progress.append(store.status.progress))
    assert not await store.refresh()
    assert store.snapshot is None and "500" in (store.status.error_kind or "") + (
        store.status.error or ""
    )
    assert "fetching month 3 of 11 (2026-03)…" in progress
    saved = archive.run(lambda db: db.execute("SELECT start FROM usage_chunk").fetchall())
    assert sorted(s for (s,) in saved) == ["2026-01-01", "2026-02-01"]  # kept before the failure
    transport.failing = False
    transport.usage_requests.clear()
    assert await store.refresh()
    asked = [s for s in transport.usage_requests if s.startswith("2026-")]
    assert asked[0] == "2026-03-01" and "2026-01-01" not in asked  # the stored months are not asked
    snapshot = store.snapshot
    assert (
        snapshot is not None
        and len(snapshot.analytics.daily) == (TODAY - date(2026, 1, 1)).days + 1
    )
    assert snapshot.analytics.stitching is not None
    assert snapshot.analytics.stitching.archived_days == 31 + 28
    # A later day: every month but November is settled and comes from the archive.
    transport.usage_requests.clear()
    later = datetime(2026, 11, 25, 18, tzinfo=UTC)
    store.clock = lambda: later
    assert await store.refresh()
    assert [s for s in transport.usage_requests if s.startswith("2026-")] == ["2026-11-01"]


async def test_the_period_before_comes_once_by_request_then_from_the_archive(
    tmp_path: Path,
) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    archive = Archive(tmp_path / "a.sqlite3")
    before = Period.lookback(30).previous(TODAY)
    assert before.label == "2026-09-27 → 2026-10-26"

    async def session() -> tuple[UsageStore, FailingMonth]:
        transport = FailingMonth(responder, "none")
        client = demo_client(today=lambda: TODAY, transport=transport)
        fetchers = AccountFetcher(client, None, lambda: FIXED_NOW, archive)
        store = UsageStore(fetchers, Period.lookback(30), Source.LIVE, clock=lambda: FIXED_NOW)
        assert await store.refresh()
        return store, transport

    store, transport = await session()
    assert "2026-09-27" in transport.usage_requests  # asked once, beside the usage
    known = store.account.previous.value
    raw = DemoAccount().analytics(before.days(TODAY), FIXED_NOW, before.label)["byDate"]
    assert known is not None and known.period == before
    assert known.totals.usd == pytest.approx(sum(r["USD"] for r in raw))
    transport.usage_requests.clear()
    assert await store.refresh()
    assert "2026-09-27" not in transport.usage_requests  # the same period: not asked again
    store, transport = await session()  # a new start: the archive holds those days
    assert "2026-09-27" not in transport.usage_requests
    assert store.account.previous.value is not None
    assert store.account.previous.value.totals.usd == pytest.approx(known.totals.usd)
