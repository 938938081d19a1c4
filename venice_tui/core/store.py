"""`UsageStore`: the one source of truth the screens read, free of any UI framework.

It holds the last good snapshot, the request status and the last error. A failed refresh never
replaces good data; it only changes the status, so the screen keeps showing what it had.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from venice_tui.api.errors import (
    AuthError,
    PaymentRequiredError,
    RateLimitedError,
    TooManyFailuresError,
    VeniceError,
)
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Clock, Period, utc_now
from venice_tui.core.account_state import AccountState, SliceFetcher, UsageOnly, pull_all
from venice_tui.core.data_source import Source as Source  # where callers have always found it
from venice_tui.core.figures import Figures, figures_of

if TYPE_CHECKING:
    from venice_tui.core.snapshot_cache import CachedSnapshot

MAX_BACKOFF_SECONDS = 600.0

Fetcher = Callable[[Period], Awaitable[UsageAnalytics]]


@dataclass(frozen=True, slots=True)
class Snapshot:
    analytics: UsageAnalytics
    fetched_at: datetime
    source: Source
    #: Grows by one with every new snapshot; charts cache their builds per version.
    version: int

    @property
    def period(self) -> Period:
        return self.analytics.period


@dataclass(frozen=True, slots=True)
class StoreStatus:
    loading: bool = False
    #: The period being fetched (or last asked for); may differ from the snapshot's while loading.
    period: Period | None = None
    #: The last failure, in the dashboard's words.
    error: str | None = None
    error_kind: str | None = None
    error_at: datetime | None = None
    consecutive_failures: int = 0
    #: A wait the server (429) or our failure budget asked for, in seconds (already clamped).
    server_wait: float | None = None
    #: No key yet: nothing can be fetched until one is found or typed in.
    awaiting_key: bool = False
    #: Venice refused the key (401/402): retrying will not help, a new key will.
    key_refused: bool = False
    #: How far a long period's fetch is (`fetching month 3 of 12 (2026-01)…`).
    progress: str | None = None


INFERENCE_KEY = (
    "this is an INFERENCE key: usage, the balance and key limits need an ADMIN key "
    "(create one under API settings on venice.ai, then log in with it)"
)


def _as_fetcher(fetch: Fetcher | SliceFetcher | None) -> SliceFetcher | None:
    """A plain function fetches the usage alone."""
    return fetch if fetch is None or isinstance(fetch, SliceFetcher) else UsageOnly(fetch)


class UsageStore:
    """Usage of the period (with its status), and the account's other slices beside it."""

    def __init__(
        self,
        fetch: Fetcher | SliceFetcher | None,
        period: Period,
        source: Source = Source.LIVE,
        clock: Clock = utc_now,
    ) -> None:
        #: None until there is a key to fetch with (the TUI's login screen attaches one).
        self._fetcher = _as_fetcher(fetch)
        self._source = source
        #: Balance, API keys and the key's limits: each with its own age and error.
        self.account = AccountState()
        #: Grows when the account changes: slices fetched for another account are dropped.
        self._owner = 0
        self.clock = clock
        self._listeners: list[Callable[[], None]] = []
        self.snapshot: Snapshot | None = None
        self.status = StoreStatus(period=period, awaiting_key=fetch is None)
        self._version = 0
        #: Grows when the period or the account changes; a result of an older one is dropped.
        self._generation = 0
        #: The generation whose request is out now, if any: one request at a time per period.
        self._in_flight: int | None = None
        self._figures: tuple[AccountState, date, Figures] | None = None

    def _progress(self, text: str | None) -> None:
        if self.status.loading and self.status.progress != text:
            self.status = replace(self.status, progress=text)
            self._changed()

    @property
    def period(self) -> Period:
        assert self.status.period is not None
        return self.status.period

    @property
    def figures(self) -> Figures:
        """The account's derived figures (rate, forecast, spikes, today and the month so far),
        computed once per change of its slices and day, never from the period shown."""
        today = self.clock().date()
        memo = self._figures
        # Equal slices (the same values, asked again) are the same figures: not derived again.
        if memo is None or memo[0] != self.account or memo[1] != today:
            memo = self._figures = (self.account, today, figures_of(self.account, today))
        return memo[2]

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    @property
    def can_fetch(self) -> bool:
        return self._fetcher is not None

    def attach(self, fetch: Fetcher | SliceFetcher, source: Source, keep_data: bool = True) -> None:
        """Fetch with `fetch` from now on; `keep_data=False` forgets data of another account."""
        self._fetcher = _as_fetcher(fetch)
        self._source = source
        self._generation += 1
        if not keep_data:
            self._drop_data()
        self.status = StoreStatus(period=self.period)
        self._changed()

    def forget(self) -> None:
        """Drop the account: no data, no fetcher, until `attach` gives another one."""
        self._fetcher = None
        self._generation += 1
        self._drop_data()
        self.status = StoreStatus(period=self.period, awaiting_key=True)
        self._changed()

    def _drop_data(self) -> None:
        self.snapshot = None
        self.account = AccountState()
        self._owner += 1

    def show_account(self, account: AccountState) -> None:
        """Slices from the on-disk cache, shown until fresh ones arrive."""
        self.account = account
        self._changed()

    def set_period(self, period: Period) -> None:
        """Ask for another period. A request still out for the old one is dropped when it ends
        (its caller cancels it), so the new period can be fetched at once."""
        self._generation += 1
        self.status = StoreStatus(period=period, awaiting_key=self._fetcher is None)
        self._changed()

    def show(self, analytics: UsageAnalytics, fetched_at: datetime, source: Source) -> None:
        """Put a snapshot on screen that did not come from `refresh` (a login check)."""
        self._version += 1
        self.snapshot = Snapshot(analytics, fetched_at, source, self._version)
        self._changed()

    def show_cached(self, cached: CachedSnapshot) -> bool:
        """Show data from the on-disk cache, unless something as good or better is on screen."""
        analytics, fetched_at = cached.analytics, cached.fetched_at
        current = self.snapshot
        if analytics.period != self.period:
            return False
        if (
            current is not None
            and current.period == self.period
            and current.fetched_at >= fetched_at
        ):
            return False
        self.show(analytics, fetched_at, Source.CACHED)
        return True

    async def refresh(self) -> bool:
        """Fetch the period's usage and every slice, at once. True when usage came; errors end
        up in `status` and the slices, never raised."""
        fetcher = self._fetcher
        if fetcher is None or self._in_flight == self._generation:
            return False
        period, generation, owner = self.period, self._generation, self._owner
        self._in_flight = generation
        self.status = replace(self.status, loading=True)
        self._changed()
        # The usage first (it is what the screen waits for), then the other slices side by
        # side. When Venice is down they are not asked: they would fail the same way and
        # spend the failure budget; a refused key still asks them (an INFERENCE key's own
        # limits answer, and say which kind of key it is).
        try:
            usage = await self._fetch_usage(fetcher, period)
            account = self.account
            if not isinstance(usage, VeniceError) or isinstance(
                usage, AuthError | PaymentRequiredError
            ):
                account = await pull_all(
                    fetcher, self.account, self.clock, self._source, period, self._progress
                )
        except BaseException:
            self._finish(generation, ok=False)
            raise
        if owner == self._owner:
            self.account = account
        if isinstance(usage, VeniceError):
            if generation == self._generation:
                self.status = self._failure(period, usage, account)
            return self._finish(generation, ok=False)
        if generation != self._generation:  # another period or account was picked meanwhile
            return self._finish(generation, ok=False)
        self._keep(usage)
        self.status = StoreStatus(period=period)
        return self._finish(generation, ok=True)

    async def _fetch_usage(
        self, fetcher: SliceFetcher, period: Period
    ) -> UsageAnalytics | VeniceError:
        try:
            analytics = await fetcher.usage(period, self._progress)
        except VeniceError as exc:
            return exc
        return analytics

    def _failure(self, period: Period, exc: VeniceError, account: AccountState) -> StoreStatus:
        refused = isinstance(exc, AuthError | PaymentRequiredError)
        inference = refused and account.inference_key
        return StoreStatus(
            period=period,
            error=INFERENCE_KEY if inference else exc.in_dashboard,
            error_kind="INFERENCE key" if inference else exc.kind,
            error_at=self.clock(),
            consecutive_failures=self.status.consecutive_failures + 1,
            server_wait=_server_wait(exc),
            key_refused=refused and not inference,
        )

    def _finish(self, generation: int, ok: bool) -> bool:
        if self._in_flight == generation:
            self._in_flight = None
        if generation == self._generation:
            self.status = replace(self.status, loading=False)
        self._changed()
        return ok

    def _keep(self, analytics: UsageAnalytics) -> None:
        previous = self.snapshot
        if (
            previous is not None
            and previous.source is self._source
            and previous.analytics == analytics
        ):
            # Same numbers (Venice caches for 10 minutes): only the age changes, so screens
            # keep what they drew instead of redrawing identical tables and charts.
            self.snapshot = replace(previous, fetched_at=self.clock())
            return
        self._version += 1
        self.snapshot = Snapshot(analytics, self.clock(), self._source, self._version)

    def report_problem(self, message: str) -> None:
        """A failure that is not one of Venice's answers (a bug, a disk that cannot be read):
        shown like one, counted for the backoff, and the data on screen stays."""
        self.status = replace(
            self.status,
            loading=False,
            error=message,
            error_kind="internal",
            error_at=self.clock(),
            consecutive_failures=self.status.consecutive_failures + 1,
        )
        self._changed()

    def next_refresh_delay(self, interval: float) -> float:
        """The wait before the next scheduled refresh: doubles per consecutive failure, capped at
        10 minutes, and never shorter than what the server asked for."""
        failures = self.status.consecutive_failures
        delay = (
            min(interval * (2**failures), max(MAX_BACKOFF_SECONDS, interval))
            if failures
            else interval
        )
        if self.status.server_wait:
            delay = max(delay, self.status.server_wait)
        return delay

    def age_seconds(self) -> float | None:
        if self.snapshot is None:
            return None
        return max(0.0, (self.clock() - self.snapshot.fetched_at).total_seconds())

    def is_stale(self, interval: float) -> bool:
        return is_stale(self.age_seconds(), interval)


def is_stale(age: float | None, interval: float) -> bool:
    """Older than two refresh intervals (never, when live refresh is off)."""
    return interval > 0 and age is not None and age > 2 * interval


def _server_wait(exc: VeniceError) -> float | None:
    if isinstance(exc, RateLimitedError):
        return exc.wait
    if isinstance(exc, TooManyFailuresError):
        return exc.wait_seconds
    return None
