"""An answer with the same bytes as the last one (Venice caches usage for 10 minutes) is known by
its hash: nothing is decoded, folded into the archive or written to disk again, the store posts
no new snapshot and the screen redraws nothing but the status line; yet it counts as a good
refresh (its age starts again), and a changed answer after it is shown."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.harness import FIXED_NOW, demo_app, settle
from tests.payloads import encode, live_variant
from venice_tui.api.client import VeniceClient
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.archive.archive import Archive
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.identity import AccountFiles
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.core.store import Source, UsageStore
from venice_tui.demo.account_bodies import balance_body
from venice_tui.demo.generator import DemoAccount
from venice_tui.ui.screens.overview import OverviewScreen
from venice_tui.ui.widgets.chart import ChartView

BASE = "https://api.venice.ai/api/v1"
PERIOD = Period.lookback(3)


class CountingClient(VeniceClient):
    decoded = 0

    async def decode_usage(self, period: Period, body: bytes) -> UsageAnalytics:
        self.decoded += 1
        return await super().decode_usage(period, body)


class CountingCache(SnapshotCache):
    def __init__(self, files: AccountFiles, folder: Path) -> None:
        super().__init__(files, folder)
        self.written: list[str] = []

    def save_body(self, slug: str, body: bytes, fetched_at: datetime) -> Path:
        self.written.append(slug)
        return super().save_body(slug, body, fetched_at)


class CountingArchive(Archive):
    folded = 0

    def fold(self, analytics: UsageAnalytics, fetched_at: datetime) -> int:
        self.folded += 1
        return super().fold(analytics, fetched_at)


class Venice:
    """Answers usage and the balance with whatever bytes it holds now."""

    def __init__(self) -> None:
        self.usage = encode(live_variant())
        self.balance = json.dumps(balance_body(DemoAccount(), FIXED_NOW)).encode()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = self.usage if "usage-analytics" in request.url.path else self.balance
        return httpx.Response(200, content=body)


class Clock:
    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


def parts(
    tmp_path: Path,
) -> tuple[AccountFetcher, Venice, Clock, CountingClient, CountingCache, CountingArchive]:
    venice, clock = Venice(), Clock()
    client = CountingClient(
        ApiKey("sk-admin-0123456789abcdefTEST"),
        BASE,
        transport=httpx.MockTransport(venice),
        today=lambda: clock.now.date(),
    )
    files = AccountFiles("default", BASE, "a1", "test-account")
    cache = CountingCache(files, tmp_path / "cache")
    archive = CountingArchive(tmp_path / "archive.sqlite3")
    return AccountFetcher(client, cache, clock, archive), venice, clock, client, cache, archive


def changed_usage() -> bytes:
    payload: dict[str, Any] = live_variant()
    payload["byDate"][-1]["USD"] = 9.5
    return encode(payload)


async def test_the_same_bytes_again_are_not_decoded_folded_or_written(tmp_path: Path) -> None:
    fetcher, venice, clock, client, cache, archive = parts(tmp_path)
    usage, balance = await fetcher.usage(PERIOD), await fetcher.balance()
    assert (client.decoded, archive.folded, cache.written) == (1, 1, [PERIOD.slug, "balance"])

    clock.now += timedelta(seconds=10)
    assert await fetcher.usage(PERIOD) is usage
    assert await fetcher.balance() is balance  # the value decoded the first time
    assert (client.decoded, archive.folded, cache.written) == (1, 1, [PERIOD.slug, "balance"])

    # Still the same bytes much later: the copy on disk is renewed, nothing else is done.
    clock.now += REWRITE_AFTER
    assert await fetcher.usage(PERIOD) is usage
    assert (client.decoded, archive.folded) == (1, 1)
    assert cache.written == [PERIOD.slug, "balance", PERIOD.slug]

    venice.usage = changed_usage()
    changed = await fetcher.usage(PERIOD)
    assert changed != usage and changed.totals.usd > usage.totals.usd
    assert (client.decoded, archive.folded) == (2, 2)
    assert cache.written[-1] == PERIOD.slug


async def test_a_new_day_decodes_the_same_bytes_again(tmp_path: Path) -> None:
    """A lookback ends today: the same body means other days tomorrow."""
    fetcher, _, clock, client, _, archive = parts(tmp_path)
    await fetcher.usage(PERIOD)
    clock.now += timedelta(days=1)
    await fetcher.usage(PERIOD)
    assert (client.decoded, archive.folded) == (2, 2)


async def test_an_unchanged_refresh_is_good_news_of_the_same_numbers(tmp_path: Path) -> None:
    fetcher, venice, clock, _, _, _ = parts(tmp_path)
    store = UsageStore(fetcher, PERIOD, Source.LIVE, clock=clock)
    assert await store.refresh()
    first, account, figures = store.snapshot, store.account, store.figures
    assert first is not None

    clock.now += timedelta(seconds=40)
    assert store.age_seconds() == 40
    assert await store.refresh()
    again = store.snapshot
    assert again is not None and again.version == first.version  # no new snapshot to draw
    assert again.fetched_at == clock.now and store.age_seconds() == 0  # heard from Venice now
    assert store.status.error is None and not store.status.loading
    assert store.account == account and store.figures is figures
    assert store.account.balance.fetched_at == clock.now

    venice.usage = changed_usage()
    clock.now += timedelta(seconds=10)
    assert await store.refresh()
    changed = store.snapshot
    assert changed is not None and changed.version == first.version + 1
    assert changed.analytics.totals.usd > first.analytics.totals.usd


async def test_an_unchanged_refresh_redraws_no_chart_and_posts_no_snapshot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[str | None] = []
    drawn: list[int] = []
    extras: list[int] = []
    build, show = ChartView._build, OverviewScreen.show_snapshot
    redraw = OverviewScreen.redraw_extras

    def counted_build(chart: ChartView, *args: Any) -> None:
        builds.append(chart.id)
        build(chart, *args)

    def counted_show(screen: OverviewScreen, snapshot: Any) -> None:
        drawn.append(snapshot.version)
        show(screen, snapshot)

    def counted_redraw(screen: OverviewScreen, snapshot: Any) -> None:
        extras.append(snapshot.version)
        redraw(screen, snapshot)

    monkeypatch.setattr(ChartView, "_build", counted_build)
    monkeypatch.setattr(OverviewScreen, "redraw_extras", counted_redraw)
    monkeypatch.setattr(OverviewScreen, "show_snapshot", counted_show)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        version, account = app.snapshot.version if app.snapshot else None, app.account
        built, shown, redrawn = len(builds), len(drawn), len(extras)
        assert built and shown == 1
        posted: list[object] = []
        app.watch(app, "snapshot", lambda: posted.append(app.snapshot), init=False)
        responder = app.session.opened.account.responder  # type: ignore[union-attr]
        asked = responder.requests
        await pilot.press("r")
        for _ in range(500):
            await pilot.pause(0.01)
            if responder.requests > asked and not app.store.status.loading:
                break
        await settle(pilot)
        assert responder.requests > asked and app.store.status.error is None
        assert app.snapshot is not None and app.snapshot.version == version
        assert app.account is account
        assert (len(builds), len(drawn), len(extras)) == (built, shown, redrawn)
        # The age shown starts again: Venice answered, with the same numbers.
        assert all(s is not None and s.version == version for s in posted)  # type: ignore[attr-defined]
        assert "updated 0 s ago" in app.screen.query_one("StatusLine").view_text()  # type: ignore[attr-defined]
