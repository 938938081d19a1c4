"""`AccountFetcher` alone, through the real client on demo data: progress goes to the callback
it is handed, this month from a long period's last chunk is not asked twice, and every good
answer lands in the disk cache (which only reads and writes files)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx

from tests.harness import FIXED_NOW
from venice_tui.api.period import Period
from venice_tui.archive.archive import Archive
from venice_tui.core.account_state import SliceFetcher, month_to_date
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.identity import AccountFiles
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.demo.connection import demo_client
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DemoTransport

TODAY = FIXED_NOW.date()


class CountingTransport(DemoTransport):
    def __init__(self) -> None:
        super().__init__(DemoResponder(now=lambda: FIXED_NOW))
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path.rsplit("/", 1)[-1])
        return await super().handle_async_request(request)


def fetcher(tmp_path: Path) -> tuple[AccountFetcher, CountingTransport, SnapshotCache]:
    transport = CountingTransport()
    client = demo_client(today=lambda: TODAY, transport=transport)
    files = AccountFiles("default", "https://example.invalid", "a1", "test-account")
    cache = SnapshotCache(files, tmp_path / "cache")
    archive = Archive(tmp_path / "a.sqlite3")
    return AccountFetcher(client, cache, lambda: FIXED_NOW, archive), transport, cache


async def test_a_long_period_says_how_far_it_is_and_this_month_is_not_asked_twice(
    tmp_path: Path,
) -> None:
    account, transport, cache = fetcher(tmp_path)
    assert isinstance(account, SliceFetcher)
    said: list[str | None] = []
    year = await account.usage(Period.between(date(2026, 1, 1), TODAY), said.append)
    assert len(year.daily) == (TODAY - date(2026, 1, 1)).days + 1
    assert said[0] == "fetching month 1 of 11 (2026-01)…" and said[-1] is None
    asked = len(transport.paths)
    month = await account.month()
    assert month.period == month_to_date(TODAY) and len(transport.paths) == asked
    await account.month()  # a later refresh asks again
    assert len(transport.paths) == asked + 1
    assert cache.load_account()[0].month.value is not None


async def test_the_account_slices_are_fetched_and_kept_on_disk(tmp_path: Path) -> None:
    account, transport, cache = fetcher(tmp_path)
    balance, keys, limits = (
        await account.balance(),
        await account.api_keys(),
        await account.rate_limits(),
    )
    assert transport.paths == ["balance", "api_keys", "rate_limits"]
    kept, notices = cache.load_account()
    assert notices == []
    assert (kept.balance.value, kept.keys.value, kept.limits.value) == (balance, keys, limits)


async def test_a_new_keys_answers_are_held_then_kept_once_its_account_is_told(
    tmp_path: Path,
) -> None:
    placed, transport, cache = fetcher(tmp_path)
    archive = placed.archive
    assert archive is not None
    unplaced = AccountFetcher(placed.client, None, lambda: FIXED_NOW, None)
    period = Period.lookback(7)
    usage = await unplaced.usage(period)
    keys = await unplaced.api_keys()
    assert unplaced.key_list is not None
    assert unplaced.key_list.ids == tuple(k.key_id for k in keys)
    assert cache.load(period).snapshot is None and cache.load_account()[0].keys.value is None
    asked = len(transport.paths)
    await unplaced.settle(cache, archive)
    assert len(transport.paths) == asked  # nothing asked again
    kept = cache.load(period).snapshot
    assert kept is not None and kept.analytics == usage
    assert cache.load_account()[0].keys.value == keys
    first, last = period.first_and_last(TODAY)
    assert len(archive.days(first, last)) == len(usage.daily)
    await unplaced.balance()  # from now on each answer goes to disk at once
    assert cache.load_account()[0].balance.value is not None
