"""`report --json` asks only what it prints (usage, balance, key list), and an answer that is the
very body kept on disk is neither folded into the archive again nor written again; a changed
answer, or the same one on a new day, is."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.account_double import AccountDouble
from tests.payloads import encode, live_variant
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.commands import report
from venice_tui.core.identity import AccountFiles
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.demo.account_bodies import api_keys_body, balance_body
from venice_tui.demo.generator import DemoAccount

BASE = "https://api.venice.ai/api/v1"
NOW = datetime.fromisoformat("2026-11-25T15:30:00+00:00")
PERIOD = Period.lookback(3)


class Venice:
    def __init__(self) -> None:
        self.usage = encode(live_variant())
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.asked.append(path.rsplit("/", 1)[-1])
        if "usage-analytics" in path:
            return httpx.Response(200, content=self.usage)
        body = api_keys_body if path.endswith("api_keys") else balance_body
        return httpx.Response(200, content=json.dumps(body(DemoAccount(), NOW)).encode())


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


class KeptAccount(AccountDouble):
    def __init__(self, venice: Venice, tmp_path: Path) -> None:
        self.venice = venice
        files = AccountFiles("default", BASE, "a1", "test-account")
        self.kept = CountingCache(files, tmp_path / "cache")
        self.archived = CountingArchive(tmp_path / "archive.sqlite3")

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey("sk-admin-0123456789abcdefTEST"),
            BASE,
            transport=httpx.MockTransport(self.venice),
        )

    def cache(self) -> CountingCache:  # type: ignore[override]
        return self.kept

    def archive(self) -> Archive:
        return self.archived


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    now = [NOW]
    monkeypatch.setattr(report, "utc_now", lambda: now[0])
    return now


def test_report_asks_only_what_it_prints(tmp_path: Path, clock: list[datetime]) -> None:
    venice = Venice()
    state, usage = report.fetch_with_account(KeptAccount(venice, tmp_path), PERIOD)
    assert sorted(venice.asked) == ["api_keys", "balance", "usage-analytics"]
    assert state.balance.value is not None and state.keys.value is not None
    assert usage.totals.usd > 0


def test_the_body_kept_on_disk_is_not_folded_or_written_again(
    tmp_path: Path, clock: list[datetime]
) -> None:
    venice = Venice()
    account = KeptAccount(venice, tmp_path)
    first = report.fetch_usage(account, PERIOD)
    assert (account.archived.folded, account.kept.written) == (1, [PERIOD.slug])

    clock[0] += timedelta(seconds=30)
    assert report.fetch_usage(account, PERIOD) == first
    assert (account.archived.folded, account.kept.written) == (1, [PERIOD.slug])

    clock[0] += REWRITE_AFTER  # the copy on disk grows old: renewed, not folded again
    report.fetch_usage(account, PERIOD)
    assert (account.archived.folded, account.kept.written) == (1, [PERIOD.slug] * 2)

    payload = live_variant()
    payload["byDate"][-1]["USD"] = 9.5
    venice.usage = encode(payload)
    assert report.fetch_usage(account, PERIOD) != first
    assert (account.archived.folded, len(account.kept.written)) == (2, 3)

    clock[0] += timedelta(days=1)  # the same bytes on a new day: yesterday is over, fold it
    report.fetch_usage(account, PERIOD)
    assert account.archived.folded == 3
