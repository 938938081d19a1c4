"""The last good data on disk: one file per profile, base URL and kind of data (the usage of a
period, the balance, the key list, the key's limits), never holding the key.

A file is a one-line JSON header (what it is, for whom, when) followed by Venice's body exactly
as received, so loading runs the same tolerant decoder as a live fetch. Files are 0600 in a 0700
folder and replaced atomically. A corrupt or foreign file is set aside, never trusted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from venice_tui.api.account import decode_api_keys, decode_balance, decode_rate_limits
from venice_tui.api.calls import API_KEYS_CALL, BALANCE_CALL, RATE_LIMITS_CALL, Call
from venice_tui.api.decoder import decode_usage
from venice_tui.api.endpoint import MAX_BODY_BYTES
from venice_tui.api.errors import BadResponseError
from venice_tui.api.models import Totals, UsageAnalytics
from venice_tui.api.period import Clock, Period
from venice_tui.api.text import one_line
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError
from venice_tui.archive.ledger import sums_between as ledger_sums
from venice_tui.archive.long_period import LongPeriod, archive_fold, describe_progress
from venice_tui.archive.usage import ArchivedDay
from venice_tui.core.account_state import (
    AccountState,
    Fetchers,
    PeriodTotals,
    ProgressRelay,
    Slice,
    month_to_date,
    recent_period,
)
from venice_tui.core.paths import cache_dir, display_path, read_small_file, write_private_file

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient

FORMAT = "venice-tui-snapshot/1"
#: This month so far has one file, whatever the day (the day it covers is in its header).
MONTH_SLUG = "month-to-date"
#: The 30 full days before today (`recent_period`), one file too.
RECENT_SLUG = "recent-full-days"
#: Venice's largest accepted body plus the header line.
MAX_CACHE_BYTES = MAX_BODY_BYTES + 64 * 1024
T = TypeVar("T")
#: The account's slices: the file's name, the call that fetches it, the decoder.
ACCOUNT_SLICES: dict[str, tuple[Call, Callable[[bytes], Any]]] = {
    "balance": (BALANCE_CALL, decode_balance),
    "api-keys": (API_KEYS_CALL, decode_api_keys),
    "rate-limits": (RATE_LIMITS_CALL, decode_rate_limits),
}


@dataclass(frozen=True, slots=True)
class CachedSnapshot:
    analytics: UsageAnalytics
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class CacheLoad:
    snapshot: CachedSnapshot | None = None
    #: Set when a file was unusable and has been moved aside; a person should hear about it.
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class _Body:
    body: bytes
    fetched_at: datetime


class SnapshotCache:
    def __init__(self, profile: str, base_url: str, folder: Path | None = None) -> None:
        self.profile = profile
        self.base_url = base_url
        self.folder = folder or cache_dir() / "snapshots"

    def _path(self, slug: str) -> Path:
        digest = hashlib.sha256(f"{self.profile}\n{self.base_url}".encode()).hexdigest()[:16]
        return self.folder / f"{digest}-{slug}.snapshot"

    def path_for(self, period: Period) -> Path:
        return self._path(period.slug)

    def save_body(self, slug: str, body: bytes, fetched_at: datetime) -> Path:
        header = {
            "format": FORMAT,
            "profile": self.profile,
            "baseUrl": self.base_url,
            "period": slug,
            "fetchedAt": fetched_at.isoformat(),
        }
        path = self._path(slug)
        write_private_file(path, json.dumps(header).encode() + b"\n" + body)
        return path

    def save(self, period: Period, body: bytes, fetched_at: datetime) -> Path:
        return self.save_body(period.slug, body, fetched_at)

    def _read(
        self, slug: str, decode: Callable[[bytes, datetime], T]
    ) -> tuple[T | None, datetime | None, str | None]:
        """(decoded, fetched_at, notice); a bad file is set aside and said in the notice."""
        path = self._path(slug)
        try:
            raw = read_small_file(path, MAX_CACHE_BYTES)
        except FileNotFoundError:
            return None, None, None
        except OSError as exc:
            notice = f"could not read the cached data at {display_path(path)}: {exc.strerror}"
            return None, None, notice
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ValueError("not a venice-tui snapshot")
            expected = (self.profile, self.base_url, slug)
            if (header.get("profile"), header.get("baseUrl"), header.get("period")) != expected:
                raise ValueError("made for another profile, server or period")
            fetched_at = datetime.fromisoformat(header["fetchedAt"])
            value = decode(body, fetched_at)
        except (ValueError, KeyError, TypeError, BadResponseError) as exc:
            aside = self._set_aside(path)
            return (
                None,
                None,
                (
                    f"the cached data was unusable ({one_line(str(exc), 120)}); moved it to {aside.name}"
                ),
            )
        return value, fetched_at, None

    def load(self, period: Period) -> CacheLoad:
        """The cached snapshot of `period`, decoded as of the day it was fetched."""
        analytics, fetched_at, notice = self._read(
            period.slug, lambda body, at: decode_usage(body, period, at.date())
        )
        if analytics is None or fetched_at is None:
            return CacheLoad(notice=notice)
        return CacheLoad(CachedSnapshot(analytics, fetched_at))

    def load_account(self) -> tuple[AccountState, list[str]]:
        """The month so far, balance, key list and key limits last fetched, marked cached, and
        any notices."""
        from venice_tui.core.store import Source

        month_value, month_at, month_notice = self._read(MONTH_SLUG, _decode_month)
        slices: list[Slice[Any]] = [
            Slice(month_value, month_at, Source.CACHED if month_value is not None else None)
        ]
        notices = [month_notice] if month_notice else []
        for slug, (_, decoder) in ACCOUNT_SLICES.items():

            def decode(body: bytes, at: datetime, decoder: Callable[[bytes], Any] = decoder) -> Any:
                return decoder(body)

            value, fetched_at, notice = self._read(slug, decode)
            slices.append(Slice(value, fetched_at, Source.CACHED if value is not None else None))
            if notice:
                notices.append(notice)
        month, balance, keys, limits = slices
        recent, recent_at, recent_notice = self._read(RECENT_SLUG, _decode_recent)
        notices += [recent_notice] if recent_notice else []
        cached = Source.CACHED if recent is not None else None
        state = AccountState(month, balance, keys, limits, recent=Slice(recent, recent_at, cached))
        return state, notices

    def _set_aside(self, path: Path) -> Path:
        aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
        try:
            path.replace(aside)
        except OSError:
            path.unlink(missing_ok=True)
        return aside


def _decode_month(body: bytes, fetched_at: datetime) -> UsageAnalytics:
    day = fetched_at.date()
    return decode_usage(body, month_to_date(day), day)


def _decode_recent(body: bytes, fetched_at: datetime) -> UsageAnalytics:
    day = fetched_at.date()
    return decode_usage(body, recent_period(day), day)


def caching_fetchers(
    client: VeniceClient,
    cache: SnapshotCache | None,
    clock: Clock,
    archive: Archive | None = None,
) -> Fetchers:
    """Fetchers for every slice that write each good body to `cache` and fold each usage
    answer into `archive` (off the event loop); a period longer than one request is fetched
    in chunks the archive does not hold yet."""
    relay = ProgressRelay()

    async def keep(slug: str, body: bytes) -> None:
        # A full disk must not turn good data into an error; the next fetch tries again.
        if cache is not None:
            with contextlib.suppress(OSError):
                await asyncio.to_thread(cache.save_body, slug, body, clock())

    async def usage(period: Period) -> UsageAnalytics:
        if period.is_long:
            return await long_usage(period)
        analytics, body = await client.fetch_with_body(period)
        await keep(period.slug, body)
        await asyncio.to_thread(archive_fold, archive, analytics, clock())
        return analytics

    #: This month so far as a long period's last chunk fetched it, reused by `month()` in
    #: the same refresh rather than asked twice.
    this_month: list[tuple[Period, UsageAnalytics, bytes]] = []

    async def long_usage(period: Period) -> UsageAnalytics:
        today = clock().date()
        work = await asyncio.to_thread(LongPeriod, archive, period, today)
        missing = work.missing()
        this_month.clear()
        try:
            for done, chunk in enumerate(missing):
                relay(describe_progress(done, len(missing), chunk))
                analytics, body = await client.fetch_with_body(chunk)
                await asyncio.to_thread(work.keep, chunk, analytics, body, clock())
                if chunk == month_to_date(today):
                    this_month.append((chunk, analytics, body))
            return await asyncio.to_thread(work.result)
        finally:
            relay(None)

    async def month() -> UsageAnalytics:
        period = month_to_date(clock().date())
        if this_month and this_month[0][0] == period:
            _, analytics, body = this_month.pop()
            await keep(MONTH_SLUG, body)
            return analytics
        analytics, body = await client.fetch_with_body(period, retry=False)
        await keep(MONTH_SLUG, body)
        await asyncio.to_thread(archive_fold, archive, analytics, clock())
        return analytics

    async def recent() -> UsageAnalytics:
        analytics, body = await client.fetch_with_body(recent_period(clock().date()), retry=False)
        await keep(RECENT_SLUG, body)
        await asyncio.to_thread(archive_fold, archive, analytics, clock())
        return analytics

    #: The totals of periods before asked of Venice: over, so asked once.
    asked: dict[Period, Totals] = {}

    async def previous(period: Period) -> PeriodTotals:
        now = clock()
        today = now.date()
        before = period.previous(today)
        totals = asked.get(before)
        if totals is None:
            totals = await _archived_totals(archive, before, today)
        if totals is None:
            analytics = await usage(before)  # one request (or the months the archive lacks)
            totals = asked[before] = analytics.totals
        if period.ended_before(today):
            return PeriodTotals(before, totals)
        cut = _midnight(before.first_and_last(today)[1]) + (now - _midnight(today))
        tail = await asyncio.to_thread(_ledger_after, archive, cut)
        return PeriodTotals(before, totals, tail, now if tail is not None else None)

    def account_fetcher(slug: str) -> Callable[[], Awaitable[Any]]:
        call, decode = ACCOUNT_SLICES[slug]

        async def fetch() -> Any:
            reply = await client.get(call)
            value = await asyncio.to_thread(decode, reply.body)  # a long key list: off the loop
            await keep(slug, reply.body)
            return value

        return fetch

    return Fetchers(
        usage=usage,
        month=month,
        recent=recent,
        balance=account_fetcher("balance"),
        api_keys=account_fetcher("api-keys"),
        rate_limits=account_fetcher("rate-limits"),
        progress=relay,
        previous=previous,
    )


async def _archived_totals(archive: Archive | None, before: Period, today: date) -> Totals | None:
    """The totals of `before` when the archive holds every day of it, answered after each."""
    first, last = before.first_and_last(today)
    known = await asyncio.to_thread(_archived_days, archive, first, last)
    if len(known) != before.day_count:
        return None
    return Totals(math.fsum(d.usd for d in known), math.fsum(d.diem for d in known))


def _ledger_after(archive: Archive | None, cut: datetime) -> Totals | None:
    """What the ledger holds from `cut` to the end of its UTC day (None: not all of it)."""
    if archive is None:
        return None
    start = int(cut.timestamp() * 1000)
    end = int(_midnight(cut.date() + timedelta(days=1)).timestamp() * 1000)
    try:
        sums = archive.run(lambda db: ledger_sums(db, start, end))
    except ArchiveError:
        return None
    return Totals(*sums) if sums is not None else None


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _archived_days(archive: Archive | None, first: date, last: date) -> list[ArchivedDay]:
    """The days of [first, last] the archive holds as answered after each was over."""
    if archive is None:
        return []
    try:
        days = archive.days(first, last)
    except ArchiveError:
        return []
    return [d for d in days.values() if d.fetched_at.date() > d.day]
