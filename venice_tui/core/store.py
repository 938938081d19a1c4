"""`UsageStore`: the one source of truth the screens read, free of any UI framework.

It holds the last good snapshot, the request status and the last error. A failed refresh never
replaces good data; it only changes the status, so the screen keeps showing what it had.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from venice_tui.api.errors import RateLimitedError, TooManyFailuresError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period

if TYPE_CHECKING:
    from venice_tui.core.snapshot_cache import CachedSnapshot

MAX_BACKOFF_SECONDS = 600.0

Fetcher = Callable[[Period], Awaitable[UsageAnalytics]]
Clock = Callable[[], datetime]


class Source(enum.Enum):
    LIVE = "live"
    CACHED = "cached"
    DEMO = "demo"


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
    error: str | None = None
    error_kind: str | None = None
    error_at: datetime | None = None
    consecutive_failures: int = 0
    #: A wait the server (429) or our failure budget asked for, in seconds.
    server_wait: float | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class UsageStore:
    def __init__(
        self,
        fetch: Fetcher | None,
        period: Period,
        source: Source = Source.LIVE,
        clock: Clock = _utc_now,
    ) -> None:
        #: None until there is a key to fetch with (the TUI's login screen attaches one).
        self._fetch: Fetcher | None = fetch
        self._source = source
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []
        self.snapshot: Snapshot | None = None
        self.status = StoreStatus(period=period)
        self._version = 0
        #: Grows when the period or the account changes; a result of an older one is dropped.
        self._generation = 0

    @property
    def period(self) -> Period:
        assert self.status.period is not None
        return self.status.period

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    @property
    def can_fetch(self) -> bool:
        return self._fetch is not None

    def attach(self, fetch: Fetcher, source: Source, keep_data: bool = True) -> None:
        """Fetch with `fetch` from now on; `keep_data=False` forgets data of another account."""
        self._fetch = fetch
        self._source = source
        self._generation += 1
        if not keep_data:
            self.snapshot = None
            self.status = StoreStatus(period=self.period)
        self._changed()

    def forget(self) -> None:
        """Drop the account: no data, no fetcher, until `attach` gives another one."""
        self._fetch = None
        self._generation += 1
        self.snapshot = None
        self.status = StoreStatus(period=self.period)
        self._changed()

    def set_period(self, period: Period) -> None:
        """Ask for another period; the next refresh fetches it. Errors of the old one are cleared."""
        self._generation += 1
        self.status = StoreStatus(period=period, loading=self.status.loading)
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
        """Fetch the current period once. True on success; errors end up in `status`, never raised."""
        if self.status.loading or self._fetch is None:
            return False
        period, generation = self.period, self._generation
        self.status = replace(self.status, loading=True)
        self._changed()
        try:
            analytics = await self._fetch(period)
        except VeniceError as exc:
            if generation == self._generation:
                self.status = StoreStatus(
                    period=period,
                    error=str(exc),
                    error_kind=exc.kind,
                    error_at=self._clock(),
                    consecutive_failures=self.status.consecutive_failures + 1,
                    server_wait=_server_wait(exc),
                )
            else:
                self.status = replace(self.status, loading=False)
            self._changed()
            return False
        except BaseException:
            self.status = replace(self.status, loading=False)
            self._changed()
            raise
        if generation != self._generation:  # another period or account was picked meanwhile
            self.status = replace(self.status, loading=False)
            self._changed()
            return False
        previous = self.snapshot
        if (
            previous is not None
            and previous.source is self._source
            and previous.analytics == analytics
        ):
            # Same numbers (Venice caches for 10 minutes): only the age changes, so screens
            # keep what they drew instead of redrawing identical tables and charts.
            self.snapshot = replace(previous, fetched_at=self._clock())
        else:
            self._version += 1
            self.snapshot = Snapshot(analytics, self._clock(), self._source, self._version)
        self.status = StoreStatus(period=period)
        self._changed()
        return True

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
        return max(0.0, (self._clock() - self.snapshot.fetched_at).total_seconds())

    def is_stale(self, interval: float) -> bool:
        """Older than two refresh intervals (never, when live refresh is off)."""
        age = self.age_seconds()
        return interval > 0 and age is not None and age > 2 * interval


def _server_wait(exc: VeniceError) -> float | None:
    if isinstance(exc, RateLimitedError):
        return exc.retry_after
    if isinstance(exc, TooManyFailuresError):
        return exc.wait_seconds
    return None
