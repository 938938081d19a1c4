"""`AccountFetcher`: how the store gets each slice of an account from Venice, once per refresh.

Every new answer is written to the disk cache (for the next start) and every new usage answer is
folded into the archive, both off the event loop. An answer with the same body as the last one
(`KnownAnswers`) is not decoded, folded or written again: its value is the one decoded before. A period longer than one request is fetched
in the month-aligned chunks the archive does not hold yet, saying how far it is through the
`progress` callback the caller passes in.

While the account of a new key cannot be told yet, nothing is kept: the answers are held in
memory, and `settle` writes them to the account's files once the key list this same refresh
brought has placed it (no request again).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar, cast

from venice_tui.api.account import (
    ApiKeyInfo,
    Balance,
    RateLimits,
    decode_api_keys,
    decode_balance,
    decode_rate_limits,
)
from venice_tui.api.calls import (
    API_KEYS_CALL,
    BALANCE_CALL,
    RATE_LIMITS_CALL,
    Call,
    usage_call,
)
from venice_tui.api.errors import AuthError
from venice_tui.api.models import Totals, UsageAnalytics
from venice_tui.api.period import Clock, Period
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError
from venice_tui.archive.ledger import sums_between as ledger_sums
from venice_tui.archive.long_period import LongPeriod, archive_fold, describe_progress
from venice_tui.archive.usage import ArchivedDay
from venice_tui.core.account_state import (
    PeriodTotals,
    Progress,
    month_to_date,
    no_progress,
    recent_period,
)
from venice_tui.core.known_answers import KnownAnswers
from venice_tui.core.snapshot_cache import MONTH_SLUG, RECENT_SLUG, SnapshotCache

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyList:
    """What the account's key list said: the ids of its keys, or None when the key may not
    list them (an INFERENCE key: an account of its own for now)."""

    ids: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class _MonthAnswer:
    """This month so far, as the last chunk of a long period brought it."""

    period: Period
    analytics: UsageAnalytics
    body: bytes


class AccountFetcher:
    """One account's slices from `client`: the usage of a period, this month so far, the 30 full
    days before today, the period before, the balance, the key list and the key's limits. Each method raises the client's
    `VeniceError` when Venice cannot answer; the disk and the archive never turn a good answer
    into an error."""

    def __init__(
        self,
        client: VeniceClient,
        cache: SnapshotCache | None,
        clock: Clock,
        archive: Archive | None = None,
    ) -> None:
        self.client, self.cache, self.clock, self.archive = client, cache, clock, archive
        #: This month so far from the long period fetched in this refresh: `month()` reuses it
        #: rather than asking Venice twice.
        self._month_answer: _MonthAnswer | None = None
        #: The totals of periods before, asked of Venice: over, so asked once.
        self._asked: dict[Period, Totals] = {}
        #: The last answer of each slice, by its body's hash.
        self.known = KnownAnswers()
        #: The key list's last answer (None: none came yet): it places a new key.
        self.key_list: KeyList | None = None
        #: No account yet: each slice's last body and usage, kept for `settle`.
        self._held: dict[str, tuple[bytes, datetime]] = {}
        self._unfolded: dict[str, tuple[UsageAnalytics, datetime]] = {}
        #: Writes to disk one at a time: a held answer never lands over a newer one.
        self._disk = asyncio.Lock()

    @property
    def holding(self) -> bool:
        """Whether the account is not told yet (nothing on disk: answers held in memory)."""
        return self.cache is None and self.archive is None

    async def settle(self, cache: SnapshotCache, archive: Archive) -> None:
        """The account is told now: the answers held so far are written to its files and
        folded into its archive, as if they had just come."""
        if not self.holding:
            return
        self.cache, self.archive = cache, archive
        held, self._held = self._held, {}
        unfolded, self._unfolded = self._unfolded, {}
        async with self._disk:
            for slug, (body, at) in held.items():
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(cache.save_body, slug, body, at)
            for analytics, at in unfolded.values():
                await asyncio.to_thread(archive_fold, archive, analytics, at)

    async def usage(self, period: Period, progress: Progress = no_progress) -> UsageAnalytics:
        if period.is_long:
            return await self._long_usage(period, progress)
        return await self._usage_of(period, period.slug)

    async def _usage_of(self, period: Period, slug: str, retry: bool = True) -> UsageAnalytics:
        """The usage of a short period; kept on disk under `slug` and folded into the archive
        when it is new."""
        reply = await self.client.get(usage_call(period, retry))
        now = self.clock()
        # Decoding depends on the day (a lookback ends today): a new day decodes again.
        context = (period, now.date())
        known = self.known.recall(slug, reply.body, context)
        if known is not None:
            await self._keep_again(slug, reply.body, now)
            return cast(UsageAnalytics, known)
        analytics = await self.client.decode_usage(period, reply.body)
        await self._keep(slug, reply.body)
        if self.holding:
            self._unfolded[slug] = (analytics, now)
        else:
            async with self._disk:
                await asyncio.to_thread(archive_fold, self.archive, analytics, now)
        self.known.remember(slug, reply.body, analytics, now, context)
        return analytics

    async def _long_usage(self, period: Period, progress: Progress) -> UsageAnalytics:
        today = self.clock().date()
        work = await asyncio.to_thread(LongPeriod, self.archive, period, today)
        missing = work.missing()
        self._month_answer = None
        try:
            for done, chunk in enumerate(missing):
                progress(describe_progress(done, len(missing), chunk))
                analytics, body = await self.client.fetch_with_body(chunk)
                await asyncio.to_thread(work.keep, chunk, analytics, body, self.clock())
                if chunk == month_to_date(today):
                    self._month_answer = _MonthAnswer(chunk, analytics, body)
            return await asyncio.to_thread(work.result)
        finally:
            progress(None)

    async def month(self) -> UsageAnalytics:
        """This calendar month so far: the forecast and the budgets are about it."""
        period = month_to_date(self.clock().date())
        answer, self._month_answer = self._month_answer, None
        if answer is not None and answer.period == period:
            await self._keep(MONTH_SLUG, answer.body)
            return answer.analytics
        return await self._usage_of(period, MONTH_SLUG, retry=False)

    async def recent(self) -> UsageAnalytics:
        """The 30 full days before today (`recent_period`): the rate and spikes are about them,
        whatever the period shown."""
        return await self._usage_of(recent_period(self.clock().date()), RECENT_SLUG, retry=False)

    async def previous(self, period: Period, progress: Progress = no_progress) -> PeriodTotals:
        """The totals of the period before `period`: from the archive when it holds every day
        of it (answered after each was over), else one request (or the months it lacks), asked
        once. While `period` still runs, the period before is cut at the same hour: what the
        ledger holds after that hour on its last day is its `tail` (None: not held)."""
        now = self.clock()
        today = now.date()
        before = period.previous(today)
        totals = self._asked.get(before)
        if totals is None:
            totals = await _archived_totals(self.archive, before, today)
        if totals is None:
            analytics = await self.usage(before, progress)
            totals = self._asked[before] = analytics.totals
        if period.ended_before(today):
            return PeriodTotals(before, totals)
        cut = _midnight(before.first_and_last(today)[1]) + (now - _midnight(today))
        tail = await asyncio.to_thread(_ledger_after, self.archive, cut)
        return PeriodTotals(before, totals, tail, now if tail is not None else None)

    async def balance(self) -> Balance:
        return await self._account_slice("balance", BALANCE_CALL, decode_balance)

    async def api_keys(self) -> tuple[ApiKeyInfo, ...]:
        try:
            keys = await self._account_slice("api-keys", API_KEYS_CALL, decode_api_keys)
        except AuthError:
            self.key_list = KeyList(None)
            raise
        self.key_list = KeyList(tuple(k.key_id for k in keys))
        return keys

    async def rate_limits(self) -> RateLimits:
        return await self._account_slice("rate-limits", RATE_LIMITS_CALL, decode_rate_limits)

    async def _account_slice(self, slug: str, call: Call, decode: Callable[[bytes], T]) -> T:
        reply = await self.client.get(call)
        now = self.clock()
        known = self.known.recall(slug, reply.body)
        if known is not None:
            await self._keep_again(slug, reply.body, now)
            return cast(T, known)
        value = await asyncio.to_thread(decode, reply.body)  # a long key list: off the loop
        await self._keep(slug, reply.body)
        self.known.remember(slug, reply.body, value, now)
        return value

    async def _keep_again(self, slug: str, body: bytes, now: datetime) -> None:
        """An unchanged answer: its copy on disk is written again only once it is old."""
        if self.known.due_on_disk(slug, now):
            await self._keep(slug, body)
            self.known.written(slug, now)

    async def _keep(self, slug: str, body: bytes) -> None:
        if self.holding:
            self._held[slug] = (body, self.clock())
            return
        # A full disk must not turn good data into an error; the next fetch tries again.
        if self.cache is not None:
            async with self._disk:
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(self.cache.save_body, slug, body, self.clock())


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
